package io.dataplatform.views.rocksdb;

import io.dataplatform.views.spi.BackendContainer;
import io.dataplatform.views.spi.ContainerDirectories;
import io.dataplatform.views.spi.DocumentVersion;
import io.dataplatform.views.spi.StoredDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A reader of one container. While a writer of this JVM has the container open, reads go to
 * its primary instance (always current). Otherwise the reader opens the database as a secondary
 * instance (no lock; its info log in a temporary directory, deleted on close) and
 * {@link #generation()}, which the core calls at most once per freshness bound, catches it up with
 * the primary ({@code tryCatchUpWithPrimary}: the primary's new files and the tail of its
 * write-ahead log): a commit of a writer in another process is seen within that bound. When the
 * directory holds another database than the one opened (the container was dropped and made
 * anew) or none, the secondary instance is reopened or closed. A missing container reads as empty.
 *
 * <p>Thread-safe: reads from any thread; the secondary instance is swapped under this object's lock,
 * and a read that finds it closed meanwhile retries on the current one.
 */
final class RocksReader implements BackendContainer {

    private final Path dir;
    private final Function<Path, RocksContainer> writers;
    private final RocksBackend backend;
    private Path secondaryDir;
    private volatile RocksHandle secondary;
    private boolean closed;

    RocksReader(Path dir, Function<Path, RocksContainer> writers, RocksBackend backend) {
        this.dir = dir;
        this.writers = writers;
        this.backend = backend;
    }

    @FunctionalInterface
    private interface Read<T> {
        T run(RocksHandle handle) throws IOException;
    }

    /** {@code read} on the writer's handle, else on the secondary instance (opened if needed); {@code none} if neither exists. */
    private <T> T read(Read<T> read, T none) throws IOException {
        for (int attempt = 0; ; attempt++) {
            RocksHandle handle = current();
            if (handle == null) {
                return none;
            }
            try {
                return read.run(handle);
            } catch (IOException e) {
                if (handle.isOpen() || attempt > 0) {
                    throw e;
                }
                // closed by its writer or by a reopen meanwhile: once more on the current one
            }
        }
    }

    private RocksHandle current() throws IOException {
        RocksContainer writer = writers.apply(dir);
        if (writer != null && writer.handle().isOpen()) {
            return writer.handle();
        }
        RocksHandle handle = secondary;
        return handle != null && handle.isOpen() ? handle : openSecondary(false);
    }

    /**
     * The secondary instance, opened if there is a database and none is open, reopened if the
     * database in the directory is another one (or closed if none is left); with {@code catchUp}, caught up.
     */
    private synchronized RocksHandle openSecondary(boolean catchUp) throws IOException {
        if (closed) {
            throw new IOException("the reader of " + dir + " was closed");
        }
        String identity = RocksHandle.identity(dir);
        RocksHandle handle = secondary;
        if (handle != null && (!handle.isOpen() || !Objects.equals(identity, handle.identity))) {
            secondary = null;
            handle.close();
            handle = null;
        }
        if (handle == null) {
            if (identity == null || !Files.exists(dir.resolve("CURRENT"))) {
                return null; // not made yet, or dropped
            }
            if (secondaryDir == null) {
                secondaryDir = Files.createTempDirectory("views-rocksdb-reader");
            }
            handle = RocksHandle.openSecondary(dir, secondaryDir, backend.options(true));
            secondary = handle;
        } else if (catchUp) {
            handle.call("catching up with the primary", db -> {
                db.tryCatchUpWithPrimary();
                return null;
            });
        }
        return handle;
    }

    @Override
    public StoredDocument get(String key) throws IOException {
        return read(handle -> RocksReads.get(handle, key), null);
    }

    @Override
    public DocumentVersion version(String key) throws IOException {
        return read(handle -> RocksReads.version(handle, key), null);
    }

    @Override
    public Stream<String> keys(String prefix) {
        return RocksReads.keys(this::current, prefix);
    }

    /** Caught up first (the core does not cache the checkpoint): a checkpoint read is always as fresh as the primary's files. */
    @Override
    public byte[] readCheckpoint() throws IOException {
        RocksContainer writer = writers.apply(dir);
        if (writer == null || !writer.handle().isOpen()) {
            openSecondary(true);
        }
        return read(RocksReads::checkpoint, null);
    }

    /**
     * The writer's generation when it is in this JVM; else catches the secondary instance up with
     * the primary first, then reads the number of the last commit it has. Null if there is no database.
     */
    @Override
    public DocumentVersion generation() throws IOException {
        RocksContainer writer = writers.apply(dir);
        if (writer != null && writer.handle().isOpen()) {
            return writer.generation();
        }
        RocksHandle handle = openSecondary(true);
        return handle == null ? null : new DocumentVersion(RocksLayout.token(handle.identity, RocksReads.commits(handle)));
    }

    @Override
    public DocumentVersion put(String key, byte[] document) throws IOException {
        throw readOnly();
    }

    @Override
    public boolean delete(String key) throws IOException {
        throw readOnly();
    }

    @Override
    public void writeCheckpoint(byte[] document) throws IOException {
        throw readOnly();
    }

    @Override
    public void appendJournal(byte[] entry) throws IOException {
        throw readOnly();
    }

    @Override
    public List<byte[]> readJournal() throws IOException {
        throw readOnly();
    }

    @Override
    public long journalBytes() {
        return 0;
    }

    @Override
    public void syncDocuments() throws IOException {
        throw readOnly();
    }

    @Override
    public void dropJournal() throws IOException {
        throw readOnly();
    }

    @Override
    public boolean documentsDurableOnPut() {
        return true;
    }

    /** Closes the secondary instance and deletes its temporary directory. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        closed = true;
        RocksHandle handle = secondary;
        secondary = null;
        try {
            if (handle != null) {
                handle.close();
            }
        } finally {
            if (secondaryDir != null) {
                ContainerDirectories.deleteTree(secondaryDir);
                secondaryDir = null;
            }
        }
    }

    private IOException readOnly() {
        return new IOException("container " + dir + " is open for reading only");
    }
}
