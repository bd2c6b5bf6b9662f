package io.dataplatform.views;

import io.dataplatform.views.spi.BackendContainer;
import io.dataplatform.views.spi.DocumentVersion;
import java.util.Map;

/**
 * Writes the documents of one container to its backend, with retries: views, deletions and the
 * checkpoint, each then installed in the cache; and the end of a journal's life, a bulk sync of
 * the written documents followed by dropping the journal. Used by recovery, by write-through
 * commits and by the {@link ViewFlusher}.
 *
 * <p>Holds no state. Not thread-safe: callers serialize its writes (a backend takes one document
 * writer at a time), by the container's write lock or the flusher's pass lock.
 */
final class ViewWriter {

    private final String name;
    private final BackendContainer backend;
    private final DocumentCache cache;
    private final Retry retry;

    ViewWriter(String name, BackendContainer backend, DocumentCache cache, Retry retry) {
        this.name = name;
        this.backend = backend;
        this.cache = cache;
        this.retry = retry;
    }

    /** Writes every document of {@code entry} (several in one {@link BackendContainer#putAll}), then its checkpoint, telling {@code steps}. */
    void apply(JournalEntry entry, CommitHook steps) {
        if (entry.changes().size() > 1) {
            // several views at once: the backend may send them together (blobs); one retry covers them all
            Map<String, DocumentVersion> versions = retry.run(name, null, "writing " + entry.changes().size() + " views",
                    () -> backend.putAll(entry.changes()));
            for (Map.Entry<String, byte[]> change : entry.changes().entrySet()) {
                cache.written(new DocumentCache.Key(name, change.getKey()), change.getValue(), versions.get(change.getKey()));
                steps.reached(CommitStep.VIEW_WRITTEN);
            }
        } else {
            applyOneByOne(entry, steps);
        }
        if (entry.checkpoint() != null) {
            writeCheckpoint(entry.checkpoint());
            steps.reached(CommitStep.CHECKPOINT_WRITTEN);
        }
        if (!entry.changes().isEmpty()) {
            publishGeneration();
        }
    }

    private void applyOneByOne(JournalEntry entry, CommitHook steps) {
        for (Map.Entry<String, byte[]> change : entry.changes().entrySet()) {
            String key = change.getKey();
            byte[] document = change.getValue();
            DocumentVersion version = write(key, document);
            cache.written(new DocumentCache.Key(name, key), document, version);
            steps.reached(CommitStep.VIEW_WRITTEN);
        }
    }

    /** Tells readers in other processes that the documents written so far changed the container. */
    void publishGeneration() {
        retry.run(name, null, "publishing the container's generation", () -> {
            backend.publishGeneration();
            return null;
        });
    }

    /** Writes (or, for null, deletes) the document under {@code key}; returns its version (null when deleted). */
    DocumentVersion write(String key, byte[] document) {
        if (document == null) {
            retry.run(name, key, "deleting", () -> backend.delete(key));
            return null;
        }
        return retry.run(name, key, "writing", () -> backend.put(key, document));
    }

    void writeCheckpoint(byte[] document) {
        retry.run(name, null, "writing the checkpoint", () -> {
            backend.writeCheckpoint(document);
            return null;
        });
    }

    /** Makes every document written so far durable (no step: a flusher's head start on the bulk sync). */
    void syncDocuments() {
        retry.run(name, null, "syncing written views", () -> {
            backend.syncDocuments();
            return null;
        });
    }

    /** Makes every document written so far durable, then drops the journal, which they now cover. */
    void syncAndDropJournal(CommitHook steps) {
        syncDocuments();
        steps.reached(CommitStep.VIEWS_SYNCED);
        retry.run(name, null, "dropping the journal", () -> {
            backend.dropJournal();
            return null;
        });
        steps.reached(CommitStep.JOURNAL_DROPPED);
    }
}
