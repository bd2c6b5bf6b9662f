package io.dataplatform.views.rocksdb;

import io.dataplatform.views.spi.BackendContainer;
import io.dataplatform.views.spi.DocumentVersion;
import io.dataplatform.views.spi.StoredDocument;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The writer of one container: its RocksDB database {@code <root>/<container>/} opened as the
 * primary instance, which holds RocksDB's {@code LOCK} file (the container's writer lock) until
 * {@link #close}. A commit is one {@link WriteBatch} (every view, the checkpoint and the commit
 * number) written with {@code sync}: RocksDB's write-ahead log makes it atomic and durable, so the
 * core keeps no journal ({@link #commitsAtomically()}). Layout in {@link RocksLayout}.
 *
 * <p>Thread-safety: reads from any thread; commits from one thread at a time (the core's write lock).
 */
final class RocksContainer implements BackendContainer {

    private final RocksHandle handle;
    private final WriteOptions synced;
    private final Consumer<RocksContainer> onClose;
    /** The number of the last commit; written by the committing thread, read by any. */
    private volatile long commits;

    private RocksContainer(RocksHandle handle, WriteOptions synced, long commits, Consumer<RocksContainer> onClose) {
        this.handle = handle;
        this.synced = synced;
        this.commits = commits;
        this.onClose = onClose;
    }

    /** Takes over {@code handle} (closed with this container, or now if this fails); {@code onClose} runs after closing. */
    static RocksContainer over(RocksHandle handle, Consumer<RocksContainer> onClose) throws IOException {
        try {
            return new RocksContainer(handle, new WriteOptions().setSync(true), RocksReads.commits(handle), onClose);
        } catch (IOException | RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    RocksHandle handle() {
        return handle;
    }

    @Override
    public StoredDocument get(String key) throws IOException {
        return RocksReads.get(handle, key);
    }

    @Override
    public DocumentVersion version(String key) throws IOException {
        return RocksReads.version(handle, key);
    }

    @Override
    public DocumentVersion put(String key, byte[] document) throws IOException {
        return commit(Map.of(key, document), null).get(key);
    }

    @Override
    public boolean delete(String key) throws IOException {
        boolean existed = version(key) != null;
        Map<String, byte[]> deletion = new HashMap<>();
        deletion.put(key, null);
        commit(deletion, null);
        return existed;
    }

    @Override
    public Stream<String> keys(String prefix) {
        return RocksReads.keys(() -> handle, prefix);
    }

    @Override
    public byte[] readCheckpoint() throws IOException {
        return RocksReads.checkpoint(handle);
    }

    @Override
    public void writeCheckpoint(byte[] document) throws IOException {
        commit(Map.of(), document);
    }

    @Override
    public boolean commitsAtomically() {
        return true;
    }

    @Override
    public Map<String, DocumentVersion> commit(Map<String, byte[]> changes, byte[] checkpoint) throws IOException {
        long number = commits + 1;
        DocumentVersion version = new DocumentVersion(RocksLayout.token(handle.identity, number));
        Map<String, DocumentVersion> versions = new HashMap<>();
        handle.call("committing " + changes.size() + " views", db -> {
            try (WriteBatch batch = new WriteBatch()) {
                for (Map.Entry<String, byte[]> change : changes.entrySet()) {
                    byte[] key = RocksLayout.viewKey(change.getKey());
                    if (change.getValue() == null) {
                        batch.delete(key);
                    } else {
                        batch.put(key, RocksLayout.value(number, change.getValue()));
                        versions.put(change.getKey(), version);
                    }
                }
                if (checkpoint != null) {
                    batch.put(RocksLayout.CHECKPOINT, checkpoint);
                }
                batch.put(RocksLayout.COMMITS, RocksLayout.number(number));
                db.write(synced, batch);
            }
            return null;
        });
        commits = number;
        return versions;
    }

    /** The identity of the database and the number of the last commit: changes with every commit. */
    @Override
    public DocumentVersion generation() {
        return new DocumentVersion(RocksLayout.token(handle.identity, commits));
    }

    /** Never called: the core keeps no journal for a container that commits atomically. */
    @Override
    public void appendJournal(byte[] entry) throws IOException {
        throw new IOException("the rocksdb backend keeps no journal (" + handle.dir + "): commits are write batches");
    }

    @Override
    public List<byte[]> readJournal() {
        return List.of();
    }

    @Override
    public long journalBytes() {
        return 0;
    }

    /** Nothing to do: every write was synced. */
    @Override
    public void syncDocuments() {
    }

    @Override
    public void dropJournal() {
    }

    @Override
    public boolean documentsDurableOnPut() {
        return true;
    }

    /** Closes the database (releasing its lock) and the write options. Idempotent. */
    @Override
    public void close() throws IOException {
        try {
            handle.close();
        } finally {
            synced.close();
            onClose.accept(this);
        }
    }
}
