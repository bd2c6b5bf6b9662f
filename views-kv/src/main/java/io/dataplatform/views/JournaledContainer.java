package io.dataplatform.views;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataplatform.views.spi.BackendContainer;
import io.dataplatform.views.spi.DocumentVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write path of one container: every write is a journal commit. A commit appends one entry
 * holding every changed document and the checkpoint (durable: the commit point), then:
 * <ul>
 * <li>write-behind (backends whose puts are not durable by themselves, such as files): the
 *     documents and checkpoint become dirty ({@link DirtyViews}), visible at once to readers of
 *     this process, and the {@link ViewFlusher} writes each one's newest version to the backend
 *     at most once per flush interval; it drops the journal after a bulk sync of what it wrote;</li>
 * <li>write-through (backends whose puts are durable: memory, blobs): the documents and checkpoint
 *     are written at once and the journal dropped.</li>
 * </ul>
 * On open, any entries left are folded and applied again (whole documents, so idempotent), then
 * synced and dropped. See docs/views.md for why this is exact after a crash or a power loss.
 * Backends that {@linkplain BackendContainer#commitsAtomically() commit atomically} (RocksDB) keep
 * no journal here: a commit is one synced write of theirs, then the documents go to the cache.
 *
 * <p>Thread-safe: writes are serialized by one lock; reads are not blocked by writes.
 */
final class JournaledContainer extends ContainerReads implements ViewContainer {

    private static final Logger LOG = LoggerFactory.getLogger(JournaledContainer.class);

    private final ReentrantLock writeLock = new ReentrantLock();
    private final CommitHook hook;
    private final long journalLimitBytes;
    private final ViewWriter writer;
    /** Null for write-through backends. */
    private final ViewFlusher flusher;
    /** Set when a commit failed after its journal entry was durable: state is only right again after reopening. */
    private volatile Throwable broken;
    /** Whether a commit has already thrown the flusher's failure (else {@link #close} does). */
    private volatile boolean flusherFailureReported;
    private boolean closed;

    JournaledContainer(String name, BackendContainer backend, DocumentCache cache, Retry retry, ObjectMapper mapper,
            DirtyViews dirty, CommitHook hook, long journalLimitBytes, WriteBehind writeBehind) {
        super(name, backend, cache, retry, mapper, dirty);
        this.hook = hook;
        this.journalLimitBytes = journalLimitBytes;
        this.writer = new ViewWriter(name, backend, cache, retry);
        this.flusher = backend.documentsDurableOnPut() || backend.commitsAtomically() ? null
                : new ViewFlusher(name, dirty, writer, backend, cache, hook, writeLock, journalLimitBytes, writeBehind);
    }

    /** Finishes whatever commits a crash interrupted, then starts the flusher: call once, before any other use. */
    void recover() {
        if (backend.commitsAtomically()) {
            return; // the backend's own log finishes or discards an interrupted commit
        }
        List<byte[]> payloads = retry.run(name, null, "reading the journal", backend::readJournal);
        if (!payloads.isEmpty()) {
            List<JournalEntry> entries = new ArrayList<>(payloads.size());
            for (byte[] payload : payloads) {
                try {
                    entries.add(JournalEntry.decode(payload));
                } catch (IOException e) {
                    throw new ViewStoreException(name, null, "journal entry " + entries.size() + " is damaged: " + e, e);
                }
            }
            JournalEntry folded = JournalEntry.fold(entries);
            writer.apply(folded, CommitHook.NONE);
            writer.syncAndDropJournal(CommitHook.NONE);
            LOG.info("Container {}: re-applied {} journal entries ({} views{})", name, entries.size(),
                    folded.changes().size(), folded.checkpoint() == null ? "" : " and the checkpoint");
        }
        writer.publishGeneration(); // whatever an earlier writer wrote and had not published, readers now check
        if (flusher != null) {
            flusher.start();
        }
    }

    @Override
    public void writeBytes(String key, byte[] document) {
        commit(List.of(ViewChange.write(key, document.clone())), null);
    }

    @Override
    public void write(String key, Object value) {
        commit(List.of(change(key, value)), null);
    }

    @Override
    public boolean delete(String key) {
        boolean existed = exists(key);
        commit(List.of(ViewChange.delete(key)), null);
        return existed;
    }

    @Override
    public ViewChange change(String key, Object value) {
        ViewKeys.checkKey(key);
        try {
            return ViewChange.write(key, mapper.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new ViewStoreException(name, key, "value cannot be written as JSON: " + e, e);
        }
    }

    @Override
    public void commit(Collection<ViewChange> changes, Checkpoint checkpoint) {
        for (ViewChange change : changes) {
            ViewKeys.checkKey(change.key());
            String limit = backend.keyLimit(change.key());
            if (limit != null) {
                throw new InvalidViewKeyException(change.key(), limit);
            }
        }
        if (changes.isEmpty() && checkpoint == null) {
            return;
        }
        JournalEntry entry = JournalEntry.of(changes, checkpoint == null ? null : encodeCheckpoint(checkpoint));
        if (backend.commitsAtomically()) {
            commitAtomically(entry);
        } else if (flusher == null) {
            commitThrough(entry);
        } else {
            commitBehind(entry);
        }
    }

    /** Journal entry, then the documents marked dirty for the flusher: the commit returns without writing a view file. */
    private void commitBehind(JournalEntry entry) {
        long weight = DirtyViews.weight(entry);
        try {
            dirty.reserve(weight, flusher::hurry); // outside the write lock: the flusher's journal drop takes it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ViewStoreException(name, null, "interrupted while waiting for the flusher to make room", e);
        }
        boolean added = false;
        writeLock.lock();
        try {
            checkWritable();
            appendJournal(entry);
            try {
                hook.reached(CommitStep.JOURNAL_WRITTEN);
                dirty.add(entry, weight);
                added = true;
            } catch (RuntimeException | Error e) {
                broken = e; // the entry is durable but not visible: only a reopen applies it for sure
                throw e;
            }
            flusher.committed(backend.journalBytes() >= journalLimitBytes);
        } finally {
            writeLock.unlock();
            if (!added) {
                dirty.release(weight);
            }
        }
    }

    /** Journal entry, then every document and the checkpoint written, then the journal dropped. */
    private void commitThrough(JournalEntry entry) {
        writeLock.lock();
        try {
            checkWritable();
            appendJournal(entry);
            try {
                hook.reached(CommitStep.JOURNAL_WRITTEN);
                writer.apply(entry, hook);
                writer.syncAndDropJournal(hook);
            } catch (RuntimeException | Error e) {
                broken = e; // the entry is durable but maybe not applied: only a reopen applies it for sure
                throw e;
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * One atomic, durable write of the backend (a RocksDB write batch, synced): the commit point,
     * reported as {@link CommitStep#JOURNAL_WRITTEN} since the backend's log is the journal; then
     * the documents are installed in the cache.
     */
    private void commitAtomically(JournalEntry entry) {
        writeLock.lock();
        try {
            checkWritable();
            Map<String, DocumentVersion> versions = retry.run(name, null, "committing",
                    () -> backend.commit(entry.changes(), entry.checkpoint()));
            for (Map.Entry<String, byte[]> change : entry.changes().entrySet()) {
                cache.written(new DocumentCache.Key(name, change.getKey()), change.getValue(), versions.get(change.getKey()));
            }
            hook.reached(CommitStep.JOURNAL_WRITTEN);
        } finally {
            writeLock.unlock();
        }
    }

    private void appendJournal(JournalEntry entry) {
        byte[] payload = entry.encode();
        retry.run(name, null, "writing the journal entry", () -> {
            backend.appendJournal(payload);
            return null;
        });
    }

    /** Runs a flush pass now, dropping the journal if it passed its limit (test seam); nothing for write-through. */
    void flush() {
        if (flusher != null) {
            flusher.flush(false);
        }
    }

    /** The failure that stopped the flusher, or null (test seam). */
    Throwable flusherFailure() {
        return flusher == null ? null : flusher.failure();
    }

    /** How many commits wait for the flusher to make room (test seam). */
    int waitingCommits() {
        return dirty.waitingCommits();
    }

    /**
     * Writes every dirty document, makes everything durable and drops the journal; the container is
     * unusable afterwards. Throws the flusher's failure if no commit has reported it.
     */
    void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true; // commits are refused from here on, so the last pass below covers them all
            if (flusher == null && broken == null && backend.journalBytes() > 0) {
                writer.syncAndDropJournal(CommitHook.NONE);
            }
        } finally {
            writeLock.unlock();
        }
        if (flusher == null) {
            return;
        }
        try {
            flusher.stop();
            if (broken == null && flusher.failure() == null) {
                flusher.flush(true);
            }
        } finally {
            dirty.stop();
        }
        Throwable failure = flusher.failure();
        if (failure != null && !flusherFailureReported) {
            throw backgroundFailure(failure);
        }
    }

    /**
     * Closes the container without writing anything more (its views are about to be dropped):
     * commits are refused from here on and the flusher stops where it is.
     */
    void discard() {
        writeLock.lock();
        try {
            closed = true;
        } finally {
            writeLock.unlock();
        }
        abandon();
    }

    /** What a crash does: stops the flusher where it is, writing nothing more (test seam). */
    void abandon() {
        if (flusher != null) {
            flusher.abandon();
        }
        dirty.stop();
    }

    private void checkWritable() {
        if (closed) {
            throw new ViewStoreException(name, null, "the container was released or dropped, or the view store closed");
        }
        Throwable failure = broken;
        if (failure != null) {
            throw new ViewStoreException(name, null,
                    "an earlier commit failed after its journal entry was written; reopen the store to finish it", failure);
        }
        Throwable background = flusher == null ? null : flusher.failure();
        if (background != null) {
            flusherFailureReported = true;
            throw backgroundFailure(background);
        }
    }

    private ViewStoreException backgroundFailure(Throwable failure) {
        return new ViewStoreException(name, null, "writing views behind the commits failed (" + failure.getMessage()
                + "); every commit is in the journal: reopen the store to finish them", failure);
    }
}
