package io.dataplatform.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * All stores of one storage location, as the node sees them: it is the only writer of each.
 * Appends are queued per store and group-committed by that store's writer; the returned futures
 * complete on a writer thread once the append is committed (synced, unless the engine runs with
 * {@link Durability#NONE}). Each append is atomic: after a crash, all of its events are in the
 * store or none is. A store is created by its first append.
 *
 * <p>Thread-safe. Methods never block on storage except {@link #stats}, {@link #list} and
 * {@link #close}.
 */
public interface StoreEngine extends AutoCloseable {

    EngineOptions options();

    /**
     * Appends events to a store atomically.
     *
     * @return completes with where the events landed; fails with {@link InvalidInputException}
     * (nothing written), {@link QueueFullException} (back-pressure, nothing written),
     * {@link StorageFullException} (disk full, nothing written), {@link StoreFailedException} (the
     * store refuses writes until reopened), {@link StoreClosedException} or an I/O error
     */
    CompletableFuture<AppendResult> append(StoreId store, List<NewEvent> events);

    /**
     * Appends a staged batch (records in the log format; versions and timestamps are re-stamped)
     * as one atomic commit: every event becomes visible at once, or none. Once the import is
     * committed the batch is consumed (removed) before the future completes, so that a replayed
     * request finds nothing to import instead of appending it twice.
     *
     * @param batch a batch of {@link #stagingArea()} ({@link StagingArea#batch}); one of another
     *              area fails with {@link InvalidInputException}
     * @return completes as {@link #append} does; also fails with {@link InvalidInputException} if a
     * record of the batch does not verify or breaks the engine's limits (nothing written)
     */
    CompletableFuture<AppendResult> importStaged(StoreId store, StagedBatch batch);

    /**
     * {@link #importStaged(StoreId, StagedBatch)} of the batch at {@code location} in
     * {@link #stagingArea()}. Looks the batch up on the calling thread (storage I/O: not for an
     * event loop); a location that breaks the area's rules, or names no batch, fails the future
     * with {@link InvalidInputException}.
     */
    default CompletableFuture<AppendResult> importStaged(StoreId store, String location) {
        StagedBatch batch;
        try {
            batch = stagingArea().batch(location);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return importStaged(store, batch);
    }

    /** Where clients stage batches before asking for their import. */
    StagingArea stagingArea();

    /**
     * A reader of a store's committed events; the store must exist. Its
     * {@link StoreReader#commitAfter} waits are woken by this engine's commits, without polling.
     */
    StoreReader openReader(StoreId store);

    /**
     * A reader of a store's committed events, if the store is still the incarnation the caller
     * saved its position against.
     *
     * @param expectedIncarnation the incarnation saved with the caller's position, or null for any
     * @throws StoreRecreatedException if the store has another incarnation (it was deleted and
     *                                 created again)
     * @throws StoreNotFoundException  if the store does not exist
     */
    default StoreReader openReader(StoreId store, String expectedIncarnation) {
        StoreReader reader = openReader(store);
        if (expectedIncarnation != null) {
            String actual = reader.incarnation();
            if (!expectedIncarnation.equals(actual)) {
                reader.close();
                throw new StoreRecreatedException(store.value(), expectedIncarnation, actual);
            }
        }
        return reader;
    }

    /** The store's commit pointer, or empty if the store does not exist. */
    Optional<CommitPointer> commitPointer(StoreId store);

    /** Every store of this location, sorted by id. */
    List<StoreId> list();

    /** Size and state of a store, or empty if it does not exist. */
    Optional<StoreStats> stats(StoreId store);

    /**
     * Deletes a store and all its events, leaving the others untouched; appends queued for it
     * fail. The next append creates it anew. Completes with false if it did not exist.
     */
    CompletableFuture<Boolean> delete(StoreId store);

    /**
     * Stores that refuse writes until reopened, each with the reason (a failed sync, a rollback that
     * failed). Empty when all is well. Thread-safe and cheap: health checks call it.
     */
    default Map<StoreId, String> failedStores() {
        return Map.of();
    }

    /**
     * Stores that cannot be opened, each with the error that stopped it: committed data missing, a
     * format this release does not read, a file that cannot be read. Such a store serves neither
     * reads nor writes, while every other store goes on; each attempt to use it tries to open it
     * again, and a success clears it. A store appears here once something tried to open it (the
     * node tries every store when it starts). Thread-safe and cheap: health checks call it.
     */
    default Map<StoreId, StoreException> damagedStores() {
        return Map.of();
    }

    /**
     * Closes a store and opens it again from disk (recovering it), clearing a failure: for use once
     * the disk is sound again. Appends queued for it fail. Completes with false if it does not exist.
     */
    default CompletableFuture<Boolean> reopen(StoreId store) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this engine cannot reopen a store"));
    }

    /**
     * Registers a listener told of every commit of every store, on the writer's thread, after the
     * commit is durable and visible to readers. Listeners must be quick and never block: they
     * delay the store's next commit.
     *
     * @return the registration: closing it removes the listener (idempotent; a commit being told
     * at that moment may still reach it once)
     */
    AutoCloseable addCommitListener(CommitListener listener);

    /** Bytes of appends queued in all writer queues now (a gauge for metrics). */
    long queuedBytes();

    /** Stops accepting appends, commits what is queued, syncs, and closes every file. */
    @Override
    void close();
}
