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
 * holding every changed document and the checkpoint (durable: the commit point), then writes the
 * views and the checkpoint without syncing each; entries stay in the journal until a later bulk
 * sync of the written documents, after which the journal is dropped. On open, any entries left
 * are folded and applied again (whole documents, so idempotent), then synced and dropped.
 * See docs/views.md for why this is exact after a crash or a power loss.
 *
 * <p>Thread-safe: writes are serialized by one lock; reads are not blocked by writes.
 */
final class JournaledContainer extends ContainerReads implements ViewContainer {

    private static final Logger LOG = LoggerFactory.getLogger(JournaledContainer.class);

    private final ReentrantLock writeLock = new ReentrantLock();
    private final CommitHook hook;
    private final long journalLimitBytes;
    /** Set when a commit failed after its journal entry was durable: state is only right again after reopening. */
    private volatile Throwable broken;
    private boolean closed;

    JournaledContainer(String name, BackendContainer backend, DocumentCache cache, Retry retry,
            ObjectMapper mapper, CommitHook hook, long journalLimitBytes) {
        super(name, backend, cache, retry, mapper);
        this.hook = hook;
        this.journalLimitBytes = journalLimitBytes;
    }

    /** Finishes whatever commits a crash interrupted: call once, before any other use. */
    void recover() {
        List<byte[]> payloads = retry.run(name, null, "reading the journal", backend::readJournal);
        if (payloads.isEmpty()) {
            return;
        }
        List<JournalEntry> entries = new ArrayList<>(payloads.size());
        for (byte[] payload : payloads) {
            try {
                entries.add(JournalEntry.decode(payload));
            } catch (IOException e) {
                throw new ViewStoreException(name, null, "journal entry " + entries.size() + " is damaged: " + e, e);
            }
        }
        JournalEntry folded = JournalEntry.fold(entries);
        apply(folded, CommitHook.NONE);
        syncAndDropJournal(CommitHook.NONE);
        LOG.info("Container {}: re-applied {} journal entries ({} views{})", name, entries.size(),
                folded.changes().size(), folded.checkpoint() == null ? "" : " and the checkpoint");
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
        }
        if (changes.isEmpty() && checkpoint == null) {
            return;
        }
        JournalEntry entry = JournalEntry.of(changes, checkpoint == null ? null : encodeCheckpoint(checkpoint));
        writeLock.lock();
        try {
            checkWritable();
            byte[] payload = entry.encode();
            retry.run(name, null, "writing the journal entry", () -> {
                backend.appendJournal(payload);
                return null;
            });
            try {
                hook.reached(CommitStep.JOURNAL_WRITTEN);
                apply(entry, hook);
                if (backend.documentsDurableOnPut() || backend.journalBytes() >= journalLimitBytes) {
                    syncAndDropJournal(hook);
                }
            } catch (RuntimeException | Error e) {
                broken = e; // the entry is durable but maybe not applied: only a reopen applies it for sure
                throw e;
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Makes everything durable and drops the journal; the container is unusable afterwards. */
    void close() {
        writeLock.lock();
        try {
            if (!closed && broken == null && backend.journalBytes() > 0) {
                syncAndDropJournal(CommitHook.NONE);
            }
            closed = true;
        } finally {
            writeLock.unlock();
        }
    }

    private void apply(JournalEntry entry, CommitHook steps) {
        for (Map.Entry<String, byte[]> change : entry.changes().entrySet()) {
            String key = change.getKey();
            byte[] document = change.getValue();
            DocumentCache.Key cacheKey = new DocumentCache.Key(name, key);
            if (document == null) {
                retry.run(name, key, "deleting", () -> backend.delete(key));
                cache.written(cacheKey, null, null);
            } else {
                DocumentVersion version = retry.run(name, key, "writing", () -> backend.put(key, document));
                cache.written(cacheKey, document, version);
            }
            steps.reached(CommitStep.VIEW_WRITTEN);
        }
        if (entry.checkpoint() != null) {
            retry.run(name, null, "writing the checkpoint", () -> {
                backend.writeCheckpoint(entry.checkpoint());
                return null;
            });
            steps.reached(CommitStep.CHECKPOINT_WRITTEN);
        }
    }

    private void syncAndDropJournal(CommitHook steps) {
        retry.run(name, null, "syncing written views", () -> {
            backend.syncDocuments();
            return null;
        });
        steps.reached(CommitStep.VIEWS_SYNCED);
        retry.run(name, null, "dropping the journal", () -> {
            backend.dropJournal();
            return null;
        });
        steps.reached(CommitStep.JOURNAL_DROPPED);
    }

    private void checkWritable() {
        if (closed) {
            throw new ViewStoreException(name, null, "the view store was closed");
        }
        Throwable failure = broken;
        if (failure != null) {
            throw new ViewStoreException(name, null,
                    "an earlier commit failed after its journal entry was written; reopen the store to finish it", failure);
        }
    }
}
