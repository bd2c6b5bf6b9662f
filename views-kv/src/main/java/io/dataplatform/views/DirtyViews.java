package io.dataplatform.views;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The documents of one container that are committed (their journal entry is durable) but not yet
 * written to their files, newest version per key, and the newest checkpoint not yet written. Readers
 * in this process look here before the cache and the backend; the {@link ViewFlusher} writes them
 * out. Bounded by bytes: a commit reserves room first and waits while the set is full.
 *
 * <p>Owned by the view store, shared by the container's writer and its readers in this process.
 * Thread-safe: lookups are lock-free (a concurrent map); changes, reservations and waits use this
 * object's monitor, so a {@link #snapshot} is always a cut between two commits.
 */
final class DirtyViews {

    /** Per-document overhead counted on top of the document and key, roughly what the objects cost. */
    private static final int OVERHEAD = 64;

    /** One dirty version of a document; identity tells whether a newer one replaced it. */
    static final class Document {
        /** The document, or null for a deletion. Never modified, never handed out. */
        final byte[] bytes;

        Document(byte[] bytes) {
            this.bytes = bytes;
        }

        long weight(String key) {
            return OVERHEAD + 2L * key.length() + (bytes == null ? 0 : bytes.length);
        }
    }

    /** What a flush pass writes: every dirty document and the dirty checkpoint (or null), as of one moment. */
    record Snapshot(Map<String, Document> documents, byte[] checkpoint) {
    }

    private final long maxBytes;
    private final ConcurrentHashMap<String, Document> documents = new ConcurrentHashMap<>();
    private volatile byte[] checkpoint;
    private long bytes;
    private long reserved;
    private int waiting;
    private boolean stopped;

    DirtyViews(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The dirty version of {@code key}, or null if its file (or the cache) is current. */
    Document get(String key) {
        // most reads find nothing dirty: skip the probe of a table sized for the last full set
        return documents.isEmpty() ? null : documents.get(key);
    }

    /** The checkpoint committed but not yet written, or null. */
    byte[] checkpoint() {
        return checkpoint;
    }

    boolean isEmpty() {
        return documents.isEmpty() && checkpoint == null;
    }

    /** The dirty documents whose keys start with {@code prefix}, deletions included. */
    Map<String, Document> withPrefix(String prefix) {
        Map<String, Document> found = new HashMap<>();
        documents.forEach((key, document) -> {
            if (key.startsWith(prefix)) {
                found.put(key, document);
            }
        });
        return found;
    }

    /** What {@code entry} weighs in the dirty set, at most. */
    static long weight(JournalEntry entry) {
        long weight = entry.checkpoint() == null ? 0 : entry.checkpoint().length;
        for (Map.Entry<String, byte[]> change : entry.changes().entrySet()) {
            weight += new Document(change.getValue()).weight(change.getKey());
        }
        return weight;
    }

    /**
     * Reserves room for {@code weight} bytes, waiting while the set is full (an entry larger than
     * the whole bound waits until the set is empty); {@code full} is run before each wait, to hurry
     * the flusher. Returns at once when the set was {@linkplain #stop stopped}: the caller then
     * finds its container closed or failed. Release the room with {@link #add} or {@link #release}.
     */
    synchronized void reserve(long weight, Runnable full) throws InterruptedException {
        while (!stopped && bytes + reserved > 0 && bytes + reserved + weight > maxBytes) {
            full.run();
            waiting++;
            try {
                wait();
            } finally {
                waiting--;
            }
        }
        reserved += weight;
    }

    synchronized void release(long weight) {
        reserved -= weight;
        notifyAll();
    }

    /** Makes the documents and checkpoint of a durable entry dirty, in place of the room reserved for it. */
    synchronized void add(JournalEntry entry, long weight) {
        reserved -= weight;
        for (Map.Entry<String, byte[]> change : entry.changes().entrySet()) {
            String key = change.getKey();
            byte[] document = change.getValue();
            Document dirty = new Document(document == null ? null : document.clone()); // callers may reuse their arrays
            Document replaced = documents.put(key, dirty);
            bytes += dirty.weight(key) - (replaced == null ? 0 : replaced.weight(key));
        }
        if (entry.checkpoint() != null) {
            bytes += entry.checkpoint().length - (checkpoint == null ? 0 : checkpoint.length);
            checkpoint = entry.checkpoint();
        }
        if (waiting > 0) {
            notifyAll(); // replacing documents may have made room
        }
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(new HashMap<>(documents), checkpoint);
    }

    /**
     * {@code document} is now in its file: forgets it, unless a newer version replaced it meanwhile,
     * and then runs {@code clean} (installing it in the cache) before any reader can miss it here.
     */
    synchronized void written(String key, Document document, Runnable clean) {
        if (documents.get(key) == document) { // under the monitor: no commit can replace it now
            clean.run(); // first: a reader missing it here must find it in the cache
            documents.remove(key);
            bytes -= document.weight(key);
            if (waiting > 0) {
                notifyAll();
            }
        }
    }

    /** {@code written} is now the checkpoint file: forgets it unless a newer one replaced it. */
    synchronized void checkpointWritten(byte[] written) {
        if (checkpoint == written) {
            checkpoint = null;
            bytes -= written.length;
            if (waiting > 0) {
                notifyAll();
            }
        }
    }

    /** The container closed or its flusher failed: waiting commits return. Dirty documents stay readable. */
    synchronized void stop() {
        stopped = true;
        notifyAll();
    }

    /** Bytes held, reservations excluded. */
    synchronized long bytes() {
        return bytes;
    }

    /** How many commits wait for room (test seam). */
    synchronized int waitingCommits() {
        return waiting;
    }
}
