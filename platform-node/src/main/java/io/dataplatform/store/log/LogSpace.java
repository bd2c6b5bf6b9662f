package io.dataplatform.store.log;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.StagingArea;
import io.dataplatform.store.StoreHeldException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.StoreReader;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * The stores of one storage location on one backend (a directory, a blob container): what a
 * backend implements, besides {@link StoreLog}, to be driven by a {@link LogStorageEngine}. The
 * engine holds every rule (queueing, group commit, failures, listeners, commit waits); the space
 * only finds, creates, opens, reads and deletes stores, and holds the staging area. It is made by
 * the backend with the engine's {@link io.dataplatform.store.EngineOptions} (chunk size,
 * durability) and handed to the engine, which closes it.
 *
 * <p>The engine's process is the only writer of each store it opens; a backend that lets several
 * processes share a location enforces that in {@link #open} (see {@link StoreHeldException}).
 *
 * <p>Thread-safe. The engine opens a store's log under the store's lock, one log per store at a
 * time, and deletes a store only once its log is closed; readers may be opened at any time.
 */
public interface LogSpace extends AutoCloseable {

    /** Where the stores are, for logs and messages (a path, a container name; never a secret). */
    String describe();

    /** Every store of the location (complete stores only, in any order). */
    List<StoreId> list() throws IOException;

    /** True if a complete store is there: one that {@link #open} can recover. */
    boolean holdsStore(StoreId store);

    /** True if anything of the store is there (it may be being created, or cut short by a crash). */
    boolean exists(StoreId store);

    /**
     * Opens a store's log for writing, recovering it (cutting off whatever lies past the last
     * commit), or creates an empty store if there is none and {@code create} is set. A new store
     * gets a fresh incarnation; a store is complete only once its commit pointer exists.
     *
     * @throws StoreNotFoundException if there is no store and {@code create} is false
     * @throws StoreHeldException     if another writer holds the store (backends shared by processes)
     * @throws IOException            or a {@link io.dataplatform.store.StoreException} if it cannot
     *                                be read or recovered (the engine then reports the store damaged)
     */
    StoreLog open(StoreId store, boolean create) throws IOException;

    /**
     * Deletes a store and everything of it (nothing if there is none). The engine has closed its
     * log first.
     *
     * @return true if anything of it was there
     */
    boolean delete(StoreId store) throws IOException;

    /**
     * A reader of a store this engine writes: it reads up to the pointer {@code committed} gives
     * (the writer's, in memory), reports {@code incarnation}, and joins {@code waits} for commit
     * waits.
     */
    StoreReader openReader(StoreId store, Supplier<CommitPointer> committed, Supplier<String> incarnation,
                           CommitWaitSource waits);

    /** Where clients stage batches for {@link io.dataplatform.store.StoreEngine#importStaged}. */
    StagingArea staging();

    /** Releases what the space holds (clients, watchers); the engine has closed every log first. */
    @Override
    default void close() {
    }
}
