package io.dataplatform.views.spi;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One container as a backend stores it: whole documents under keys, with versions; one
 * checkpoint document; and a journal of opaque entries. The core builds caching, atomic commit
 * and retries on these operations, so each one is a single whole-document operation that a blob
 * store can do (one blob per key, the journal as blobs, ETags as versions).
 *
 * <p>Keys reaching the backend are already validated. Every operation may be retried after an
 * {@link IOException} the backend calls transient, so each must be safe to repeat.
 *
 * <p>Durability contract: {@link #appendJournal} is durable when it returns. A {@link #put},
 * {@link #delete} or {@link #writeCheckpoint} is visible at once and atomic (a reader sees the
 * old or the new document, never a mix), but is only sure to survive a power loss after the next
 * {@link #syncDocuments} returns, unless {@link #documentsDurableOnPut()}.
 *
 * <p>Thread-safety: reads may run concurrently with each other and with the writes. The core
 * calls document writes ({@link #put}, {@link #delete}, {@link #writeCheckpoint},
 * {@link #syncDocuments}) from one thread at a time, and journal writes ({@link #appendJournal})
 * from one thread at a time, but a journal append may run concurrently with document writes (the
 * core writes documents behind the commits); {@link #dropJournal} never runs concurrently with
 * {@link #appendJournal}. {@link #journalBytes()} may be called from any thread.
 */
public interface BackendContainer extends AutoCloseable {

    /** The document and its version, or null if there is none. */
    StoredDocument get(String key) throws IOException;

    /** The current version without reading the document, or null if there is none. Must be cheap. */
    DocumentVersion version(String key) throws IOException;

    /** Replaces the document under {@code key} atomically and returns its new version. */
    DocumentVersion put(String key, byte[] document) throws IOException;

    /**
     * The limit of this backend that {@code key} (already valid by the core's rules) breaks, in
     * words, or null if the backend can store it. The core refuses a commit holding such a key
     * before anything is written (a key the backend cannot store must never reach the journal).
     */
    default String keyLimit(String key) {
        return null;
    }

    /** Deletes the document under {@code key}; returns whether there was one. */
    boolean delete(String key) throws IOException;

    /**
     * Writes every document of {@code documents} (a null document deletes its key), as {@link #put}
     * and {@link #delete} would one by one, in any order and possibly in parallel (a blob store
     * sends the requests together); returns the new version of every key written, not of the
     * deleted ones. Called instead of {@link #put}/{@link #delete} for a commit of several views
     * written through; same thread rules as {@link #put}. On failure, any of the documents may
     * have been written: repeating the call is safe (whole documents).
     */
    default Map<String, DocumentVersion> putAll(Map<String, byte[]> documents) throws IOException {
        Map<String, DocumentVersion> versions = new java.util.HashMap<>();
        for (Map.Entry<String, byte[]> document : documents.entrySet()) {
            if (document.getValue() == null) {
                delete(document.getKey());
            } else {
                versions.put(document.getKey(), put(document.getKey(), document.getValue()));
            }
        }
        return versions;
    }

    /** The keys starting with {@code prefix}, lazily; the caller closes the stream. */
    Stream<String> keys(String prefix) throws IOException;

    /** The checkpoint document, or null if none was written. */
    byte[] readCheckpoint() throws IOException;

    /** Replaces the checkpoint document atomically. */
    void writeCheckpoint(byte[] document) throws IOException;

    /**
     * Appends one journal entry, durably (synced) and atomically: after a crash the entry is
     * entirely in {@link #readJournal()} or not at all. A retried append must not leave a
     * duplicate or torn entry behind.
     */
    void appendJournal(byte[] entry) throws IOException;

    /** The journal entries, oldest first, without any torn one (writer only). */
    List<byte[]> readJournal() throws IOException;

    /** The size of the journal, in bytes, as the core paces its {@link #dropJournal()}. */
    long journalBytes();

    /** Makes every put, delete and checkpoint write made so far survive a power loss. */
    void syncDocuments() throws IOException;

    /** Removes every journal entry, durably. Called only after {@link #syncDocuments()}. */
    void dropJournal() throws IOException;

    /**
     * The container's generation: a token that changes whenever documents were put or deleted and
     * then {@linkplain #publishGeneration() published}. A reader that finds the same token as
     * before knows that no document changed meanwhile, and serves its cached documents without a
     * {@link #version} check each. Null when the backend keeps no generation (or none was
     * published yet): readers then check each document's version once the bound has passed. Must
     * be cheap (one small read); never the same token again after a change, even across writers.
     */
    default DocumentVersion generation() throws IOException {
        return null;
    }

    /**
     * Publishes the puts and deletes made since the last call as a new {@link #generation()}.
     * Called from the document-writing thread after writing documents (and when a writer opens);
     * nothing to do for a backend whose generation changes by itself on every write, or that keeps none.
     */
    default void publishGeneration() throws IOException {
    }

    /** Whether puts are durable by themselves (blobs, memory): the journal is then dropped at once. */
    boolean documentsDurableOnPut();

    /**
     * Whether {@link #commit} writes a commit's documents and checkpoint atomically and durably by
     * itself (a database with its own write-ahead log, such as RocksDB). The core then keeps no
     * journal for this container: it never calls the journal methods, and a commit is one call of
     * {@link #commit}.
     */
    default boolean commitsAtomically() {
        return false;
    }

    /**
     * Writes every change (a null document deletes its key) and, if not null, the checkpoint, as
     * one atomic, durable write: after any crash all of it is there or none of it. Only called
     * when {@link #commitsAtomically()}, from one thread at a time; may be retried, so repeating it
     * must be harmless (whole documents are).
     *
     * @param changes the new document per key, null for a deletion; keys are already validated
     * @param checkpoint the new checkpoint document, or null to keep the current one
     * @return the new version of every key written (not of the deleted ones)
     */
    default Map<String, DocumentVersion> commit(Map<String, byte[]> changes, byte[] checkpoint) throws IOException {
        throw new UnsupportedOperationException("this backend does not commit atomically");
    }

    /** Releases the container (and its writer lock), without syncing anything. */
    @Override
    void close() throws IOException;
}
