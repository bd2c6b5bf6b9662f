package io.dataplatform.store.log;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.OwnershipLostException;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The writing side of one store's log on a storage backend: the only I/O the engine's writer
 * ({@link LogStorageEngine}) does for a store. The writer encodes records (in the log format of
 * {@link io.dataplatform.store.RecordFormat}) and hands them over in large writes; one commit is
 * a sequence of {@link #write}s and {@link #roll}s, then {@link #sync} (durable engines), then
 * {@link #commit}, which moves the commit pointer. A commit that fails half-way is undone with
 * {@link #rollback}. Every rule about what to do when an operation fails (which writes fail with
 * what, when the store refuses writes) lives in the writer, not here.
 *
 * <p>Positions are byte offsets in the store's log; a log is a sequence of chunks, each starting at
 * the position of its first record, and a record never spans two chunks (the writer rolls before a
 * record that would not fit, asking {@link #chunkFill} and {@link #chunkSize}).
 *
 * <p>A backend whose writer holds the store exclusively only while it owns it (a lease) throws
 * {@link OwnershipLostException} from any operation once it no longer does; the commit pointer is
 * then never moved by this log again, and the writer drops the log and opens it anew on the next
 * write (which may refuse with {@link io.dataplatform.store.StoreHeldException}).
 *
 * <p>Instances are opened (and the store recovered) by {@link LogSpace#open}. Not thread-safe:
 * only the store's writer uses it, under the store's lock.
 */
public interface StoreLog extends AutoCloseable {

    /** The last commit: what readers may see. */
    CommitPointer committed();

    /** The store's incarnation id (32 lowercase hex characters), fixed when the store was created. */
    String incarnation();

    /** Where the next record goes: the committed position plus what the commit in progress wrote. */
    long end();

    /** Bytes the last chunk would hold if {@code pending} more bytes were written to it. */
    long chunkFill(long pending);

    /** The size a chunk rolls at: the writer rolls before a record that would take a chunk past it. */
    long chunkSize();

    /** True if the commit in progress started a new chunk (durable engines then also sync the pointer). */
    boolean rolledInCommit();

    /** Appends {@code records} (whole records, from its position to its limit) at the end of the last chunk. */
    void write(ByteBuffer records) throws IOException;

    /** Starts a new, empty chunk at {@link #end()}. */
    void roll() throws IOException;

    /**
     * Makes every byte written so far durable, and the chunks created for them.
     *
     * @throws java.io.SyncFailedException if the storage could not make them durable and what was
     *                                     written can no longer be trusted (the writer then refuses
     *                                     writes until the store is reopened)
     */
    void sync() throws IOException;

    /**
     * Moves the commit pointer to {@link #end()} with {@code version} as the last version, ending
     * the commit in progress; readers may see it from now on. A backend may keep the pointer's
     * durability for {@link #syncPointer()}, as long as recovery finds every synced commit.
     */
    CommitPointer commit(long version) throws IOException;

    /** Makes the last pointer written durable (nothing if it is). */
    void syncPointer() throws IOException;

    /**
     * Between a busy store's commits: prepares space ahead of the log so that the next syncs cost
     * less. May do nothing (the default).
     */
    default void preallocate() throws IOException {
    }

    /**
     * Undoes everything written since the last commit: chunks it created removed, the last chunk
     * cut back to the commit pointer, and the pointer put back if the failed commit had moved it.
     * Afterwards {@link #end()} is the committed position again.
     */
    void rollback() throws IOException;

    /** Total bytes the store's chunks take on storage (at least the committed position). */
    long storedBytes() throws IOException;

    /** Number of chunks. */
    int chunkCount();

    /** True while the log holds resources that {@link #releaseHandles()} would free (open files, connections). */
    boolean holdsHandles();

    /**
     * Frees what the log holds open while the store is idle (making the pointer durable first);
     * they are reopened by the next write. Does not give up the store: a writer's hold (a lease)
     * is kept until {@link #close()}.
     */
    void releaseHandles() throws IOException;

    /** Releases everything, the writer's hold on the store included. The log is not used again. */
    @Override
    void close() throws IOException;
}
