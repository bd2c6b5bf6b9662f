package io.dataplatform.store.file;

import io.dataplatform.store.InvalidInputException;
import io.dataplatform.store.StagedBatch;
import io.dataplatform.store.StagingArea;
import io.dataplatform.store.log.StagingLocations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code <root>/.staging/}: where clients write batch files for import. A location is a relative
 * path inside it ({@link StagingLocations}); symbolic links anywhere on the way are refused too, so
 * an import can never read a file outside the area. Thread-safe.
 */
public final class FileStagingArea implements StagingArea {

    static final String DIRECTORY = ".staging";

    private final Path root;
    private final boolean durable;
    private final FileOpener opener;

    /** The staging area of the storage location {@code storageRoot}, for a client that writes batches. */
    public FileStagingArea(Path storageRoot) {
        this(storageRoot, false, FileOpener.DEFAULT);
    }

    /** The area of an engine: consumed batches are removed durably if {@code durable}. */
    FileStagingArea(Path storageRoot, boolean durable, FileOpener opener) {
        this.root = storageRoot.resolve(DIRECTORY).toAbsolutePath().normalize();
        this.durable = durable;
        this.opener = opener;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the staging area " + root, e);
        }
    }

    /** The directory itself. */
    public Path root() {
        return root;
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public StagedBatch batch(String location) {
        Path resolved = resolve(location);
        if (!Files.isRegularFile(resolved, LinkOption.NOFOLLOW_LINKS)) {
            throw StagingLocations.refused(location, "no staged file is there");
        }
        return new Batch(this, location, resolved);
    }

    @Override
    public WritableByteChannel create(String location) throws IOException {
        Path resolved = resolve(location);
        Files.createDirectories(resolved.getParent());
        return FileChannel.open(resolved, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public boolean delete(String location) throws IOException {
        return Files.deleteIfExists(resolve(location));
    }

    @Override
    public boolean contains(StagedBatch batch) {
        return batch instanceof Batch file && file.area == this;
    }

    /** The file of a batch of this area. */
    Path path(StagedBatch batch) {
        return ((Batch) batch).path;
    }

    /** The path {@code location} names, checked against every rule (it need not exist). */
    private Path resolve(String location) {
        Path walk = root;
        for (String name : StagingLocations.names(location)) {
            walk = walk.resolve(name);
            if (Files.isSymbolicLink(walk)) {
                throw StagingLocations.refused(location, "it goes through a symbolic link");
            }
        }
        Path resolved = walk.normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw StagingLocations.refused(location, "it leaves the staging area");
        }
        return resolved;
    }

    /**
     * A staged file. Consuming it removes it and, if the engine is durable, syncs the directory
     * that held it, so that the removal survives a crash as the commit does.
     */
    private record Batch(FileStagingArea area, String location, Path path) implements StagedBatch {

        @Override
        public long size() throws IOException {
            try {
                return Files.size(path);
            } catch (NoSuchFileException e) {
                throw gone();
            }
        }

        @Override
        public ReadableByteChannel open() throws IOException {
            try {
                return FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                throw gone();
            }
        }

        @Override
        public void consume() throws IOException {
            Files.deleteIfExists(path);
            if (area.durable) {
                FileStoreLog.syncDirectory(area.opener, path.getParent());
            }
        }

        private InvalidInputException gone() {
            return new InvalidInputException(null, "no staged file at '" + location + "' (already imported?)");
        }
    }
}
