package io.dataplatform.store.file;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.Durability;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.log.CommitWaitSource;
import io.dataplatform.store.log.LogSpace;
import io.dataplatform.store.log.StoreLog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The file backend's {@link LogSpace}: stores as directories under one root,
 * {@code <root>/<store>/chunks/*.dat}, {@code <root>/<store>/commit.chk},
 * {@code <root>/<store>/incarnation}, and the staging area {@code <root>/.staging/}. Every file is
 * opened through one {@link FileOpener}, the seam where tests inject disk faults. Thread-safe.
 */
final class FileSpace implements LogSpace {

    private final Path root;
    private final EngineOptions options;
    private final boolean durable;
    private final FileOpener opener;
    private final FileStagingArea staging;

    FileSpace(Path root, EngineOptions options, FileOpener opener) {
        this.root = root.toAbsolutePath().normalize();
        this.options = options;
        this.durable = options.durability() == Durability.SYNC;
        this.opener = opener;
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the storage directory " + this.root, e);
        }
        this.staging = new FileStagingArea(this.root, durable, opener);
    }

    Path root() {
        return root;
    }

    private Path directory(StoreId store) {
        return root.resolve(store.value());
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public List<StoreId> list() throws IOException {
        List<StoreId> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (StoreId.isValid(name) && StoreDirectory.holdsStore(entry)) {
                    found.add(StoreId.of(name));
                }
            }
        }
        return found;
    }

    @Override
    public boolean holdsStore(StoreId store) {
        return StoreDirectory.holdsStore(directory(store));
    }

    @Override
    public boolean exists(StoreId store) {
        return StoreDirectory.exists(directory(store));
    }

    @Override
    public StoreLog open(StoreId store, boolean create) throws IOException {
        return FileStoreLog.open(store, directory(store), options.chunkSize(), create, durable, opener);
    }

    @Override
    public boolean delete(StoreId store) throws IOException {
        Path directory = directory(store);
        boolean existed = Files.isDirectory(directory);
        StoreDirectory.delete(directory, opener);
        return existed;
    }

    @Override
    public StoreReader openReader(StoreId store, Supplier<CommitPointer> committed, Supplier<String> incarnation,
                                  CommitWaitSource waits) {
        return new FileStoreReader(store, directory(store), committed, incarnation, opener, waits);
    }

    @Override
    public FileStagingArea staging() {
        return staging;
    }
}
