package io.dataplatform.views.rocksdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * One open RocksDB database of a container, primary (the writer: holds RocksDB's {@code LOCK}
 * file) or secondary (a reader: no lock, follows the primary's files), with the native options
 * it was opened with. Calls run under a read lock and {@link #close} takes the write lock, so no
 * call ever reaches a closed native handle (that would crash the JVM, not throw). Thread-safe.
 */
final class RocksHandle implements AutoCloseable {

    /** A call on the database. */
    @FunctionalInterface
    interface Call<T> {
        T run(RocksDB db) throws RocksDBException, IOException;
    }

    final Path dir;
    /** The database's identity ({@code IDENTITY} file): new with every database made in {@link #dir}. */
    final String identity;
    private final RocksDB db;
    private final Options options;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private RocksHandle(Path dir, String identity, RocksDB db, Options options) {
        this.dir = dir;
        this.identity = identity;
        this.db = db;
        this.options = options;
    }

    /** Opens (creating if needed) the database in {@code dir} as its one writer; the options are closed with the handle. */
    static RocksHandle openPrimary(Path dir, String container, Options options) throws IOException {
        RocksDB db;
        try {
            db = RocksDB.open(options, dir.toString());
        } catch (RocksDBException e) {
            options.close();
            String message = String.valueOf(e.getMessage());
            if (message.contains("lock")) {
                throw new IOException("container '" + container + "' is already written by another process or store ("
                        + dir.resolve("LOCK") + " is locked: " + message + ")", e);
            }
            throw RocksFailure.of("opening the database", dir, e);
        }
        return opened(dir, db, options);
    }

    /** Opens the database in {@code dir} as a secondary instance (its info log in {@code secondaryDir}). */
    static RocksHandle openSecondary(Path dir, Path secondaryDir, Options options) throws IOException {
        RocksDB db;
        try {
            db = RocksDB.openAsSecondary(options, dir.toString(), secondaryDir.toString());
        } catch (RocksDBException e) {
            options.close();
            throw RocksFailure.of("opening the database as a secondary instance", dir, e);
        }
        return opened(dir, db, options);
    }

    private static RocksHandle opened(Path dir, RocksDB db, Options options) throws IOException {
        try {
            return new RocksHandle(dir, identity(dir), db, options);
        } catch (IOException | RuntimeException e) {
            db.close();
            options.close();
            throw e;
        }
    }

    /** The identity of the database now in {@code dir}, or null if there is none. */
    static String identity(Path dir) throws IOException {
        try {
            return Files.readString(dir.resolve("IDENTITY"), StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Runs {@code call} on the open database; {@code what} names it in the failure. */
    <T> T call(String what, Call<T> call) throws IOException {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IOException(what + " (" + dir + "): the database was closed");
            }
            return call.run(db);
        } catch (RocksDBException e) {
            throw RocksFailure.of(what, dir, e);
        } finally {
            lock.readLock().unlock();
        }
    }

    boolean isOpen() {
        lock.readLock().lock();
        try {
            return !closed;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Closes the database (after every running call) and its options. Idempotent. */
    @Override
    public void close() throws IOException {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                db.closeE();
            } catch (RocksDBException e) {
                throw RocksFailure.of("closing the database", dir, e);
            } finally {
                options.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
