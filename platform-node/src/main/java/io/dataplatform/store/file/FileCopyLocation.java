package io.dataplatform.store.file;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.Durability;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.IncarnationFormat;
import io.dataplatform.store.Storage;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.copy.CopyLocation;
import io.dataplatform.store.log.LogSpace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * A directory of stores as one end of a {@link io.dataplatform.store.copy.StoreCopy}: reads
 * through the file backend's direct reader, writes through its {@link FileSpace} (the node's own
 * {@link FileStoreLog}). Creating a store with a given incarnation follows the order of
 * {@link FileStoreLog}'s creation: {@code chunks/} and the first chunk, {@code incarnation}, and last
 * {@code commit.chk}. The process must be the only writer of the stores it writes. Thread-safe.
 */
public final class FileCopyLocation implements CopyLocation {

    private final Path root;
    private final EngineOptions options;
    private FileSpace space;

    private FileCopyLocation(Path root, EngineOptions options) {
        this.root = root.toAbsolutePath().normalize();
        this.options = options;
    }

    public static FileCopyLocation open(Path root, EngineOptions options) {
        return new FileCopyLocation(root, options);
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public StoreReader openReader(StoreId store) {
        return Storage.openReader(root.toString(), store);
    }

    @Override
    public NavigableSet<Long> chunkStarts(StoreId store) throws IOException {
        TreeSet<Long> starts = new TreeSet<>();
        Path chunks = root.resolve(store.value()).resolve(ChunkFiles.DIRECTORY);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(chunks)) {
            for (Path file : files) {
                long start = ChunkFiles.parse(file.getFileName().toString());
                if (start >= 0) {
                    starts.add(start);
                }
            }
        } catch (NoSuchFileException e) {
            return starts;
        }
        return starts;
    }

    @Override
    public String incarnation(StoreId store) throws IOException {
        Path directory = root.resolve(store.value());
        return Files.isDirectory(directory) ? IncarnationFile.read(store.value(), directory, FileOpener.DEFAULT) : null;
    }

    @Override
    public void createStore(StoreId store, String incarnation) throws IOException {
        if (!IncarnationFormat.isValid(incarnation)) {
            throw new IllegalArgumentException("not an incarnation: " + incarnation);
        }
        boolean durable = options.durability() == Durability.SYNC;
        Files.createDirectories(root);
        Path directory = root.resolve(store.value());
        try {
            Files.createDirectory(directory);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("store directory " + directory + " is already there", e);
        }
        ChunkFiles chunks = new ChunkFiles(store.value(), directory);
        Files.createDirectories(chunks.directory());
        try (FileChannel first = FileChannel.open(chunks.path(0), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            if (durable) {
                first.force(true);
            }
        }
        Path temp = directory.resolve(IncarnationFile.NAME + ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer content = ByteBuffer.wrap(IncarnationFormat.encode(incarnation));
            while (content.hasRemaining()) {
                out.write(content);
            }
            if (durable) {
                out.force(true);
            }
        }
        Files.move(temp, directory.resolve(IncarnationFile.NAME), StandardCopyOption.ATOMIC_MOVE);
        CommitPointerFile.create(directory.resolve(CommitPointerFile.NAME), CommitPointer.EMPTY, durable,
                FileOpener.DEFAULT);
        if (durable) {
            FileStoreLog.syncDirectory(FileOpener.DEFAULT, chunks.directory());
            FileStoreLog.syncDirectory(FileOpener.DEFAULT, directory);
            FileStoreLog.syncDirectory(FileOpener.DEFAULT, root);
        }
    }

    @Override
    public synchronized LogSpace space() {
        if (space == null) {
            space = new FileSpace(root, options, FileOpener.DEFAULT);
        }
        return space;
    }

    @Override
    public void close() {
    }
}
