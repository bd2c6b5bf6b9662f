package io.dataplatform.views;

import java.util.Collection;

/**
 * Read and write access to the views of one container (one per projection or app). Only one
 * process writes a container: it holds the container's writer lock from
 * {@link ViewStore#container} until {@link ViewStore#close} (or {@link ViewStore#releaseContainer}),
 * and on taking it finishes any commit a crash interrupted.
 *
 * <p>Every write is durable when the method returns, and goes through the container's journal
 * (or, on a backend that commits atomically such as {@code rocksdb}, is one synced write of the
 * backend), so writes become durable and are recovered in the order they were made. Writes are serialized
 * (thread-safe; one at a time); reads run concurrently with them.
 */
public interface ViewContainer extends ViewReader {

    /** Writes {@code document} (raw bytes) under {@code key}, replacing any previous document. */
    void writeBytes(String key, byte[] document);

    /** Writes {@code value} as JSON through the store's mapper under {@code key}. */
    void write(String key, Object value);

    /** Deletes the view under {@code key}; returns whether there was one. */
    boolean delete(String key);

    /** A change writing {@code value} as JSON under {@code key}, for {@link #commit}. */
    ViewChange change(String key, Object value);

    /**
     * Applies every change and, if not null, sets the checkpoint, atomically: after any crash
     * (process killed, power lost), either all of them are there or none. With several changes
     * to one key, the last wins. Readers may see the changes appear one by one while the commit
     * runs; atomicity is about what a crash leaves.
     *
     * @param changes the changes, in order; may be empty (to move only the checkpoint)
     * @param checkpoint the new checkpoint, or null to leave it as it is
     * @throws InvalidViewKeyException if a key is invalid; nothing is written then
     * @throws ViewStoreException if the commit failed; whether it took effect is then decided by
     *     whether its journal entry became durable, and is known after the store is reopened
     */
    void commit(Collection<ViewChange> changes, Checkpoint checkpoint);
}
