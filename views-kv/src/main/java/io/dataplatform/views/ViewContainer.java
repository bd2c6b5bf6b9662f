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
 *
 * <p>Interrupts: on the {@code file}, {@code memory} and {@code rocksdb} backends an interrupt of
 * a thread that writes, reads, releases, drops or closes neither fails the call nor harms the
 * container; the call completes and the thread's interrupt status is still set when it returns.
 * The one exception is a commit that waits for the flusher to make room for its views: an
 * interrupt ends the wait, and the commit throws a {@link ViewStoreException} caused by an
 * {@link InterruptedException}, with the interrupt status set and nothing written.
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
     * <p>Fenced: a commit whose checkpoint carries a lower {@linkplain Checkpoint#epoch() epoch}
     * than the container's checkpoint is refused, atomically with respect to every other commit
     * and {@link #beginEpoch()} of the container, and writes nothing. A commit without a checkpoint
     * is not fenced.
     *
     * @param checkpoint the new checkpoint, or null to leave it as it is
     * @throws InvalidViewKeyException if a key is invalid; nothing is written then
     * @throws FencedCommitException if the checkpoint's epoch is older than the container's;
     *     nothing is written then
     * @throws ViewStoreException if the commit failed; whether it took effect is then decided by
     *     whether its journal entry became durable, and is known after the store is reopened
     */
    void commit(Collection<ViewChange> changes, Checkpoint checkpoint);

    /**
     * Begins a new writer epoch, the fence of a writer that takes the container over from one that
     * may still be running (a stopped-late thread): atomically with respect to every commit,
     * commits the current checkpoint again (position and metadata unchanged) with its epoch plus
     * one, and returns it; with no checkpoint yet, a checkpoint at position 0 without metadata, of
     * epoch 1. From then on, commits whose checkpoint carries an older epoch are refused with
     * {@link FencedCommitException}, so the writer that began the epoch resumes from the returned
     * checkpoint knowing that nothing older moves it. The epoch is stored with the checkpoint: it
     * holds across reopening, in every process. Dropping the container forgets it.
     *
     * @return the checkpoint as now committed, carrying the new epoch
     * @throws ViewStoreException as {@link #commit}
     */
    Checkpoint beginEpoch();
}
