package io.dataplatform.store;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Reads one store's committed events in batches, lazily, from any record boundary. Each read
 * stops at the commit pointer as it was when that read started; events committed later are
 * returned by later reads. Memory stays flat: the reader reuses one buffer whatever the store's
 * size. Every record's checksum is verified; damage raises {@link CorruptLogException}.
 *
 * <p>Not thread-safe: one reader per thread. Readers may run in any process, beside the node.
 * The exceptions are {@link #commitAfter} and {@link #awaitCommit}, which any thread may call at
 * any time, also while another thread reads.
 *
 * <h2>Waiting for commits</h2>
 * A reader that has caught up waits for the next commit with {@link #commitAfter} (or the blocking
 * {@link #awaitCommit}) instead of polling. The contract is the same for every reader:
 * <ul>
 *   <li>The future completes with the commit pointer as soon as its position is past {@code after}
 *   (at once if it already is), or, when {@code timeout} passes first, with the pointer as it is
 *   then, which may still be at or before {@code after}. A timeout is not an error: the future
 *   never completes exceptionally because of it. A commit at or before {@code after} never
 *   completes it early.</li>
 *   <li>It completes exceptionally only when the pointer cannot be known: the store is gone, the
 *   node cannot be reached or refuses the request, the engine or the reader was closed
 *   ({@link StoreClosedException}).</li>
 *   <li>A store deleted and created again restarts its positions at 0: a wait past a position of
 *   the old incarnation may then only end at its timeout (the engine's own readers fail it with
 *   {@link StoreClosedException} when the store is deleted); the read that follows reports the new
 *   incarnation ({@link StoreRecreatedException}) for readers opened with an expected one.</li>
 *   <li>Cancelling the future withdraws the waiter at once; closing the reader cancels every wait
 *   it still has pending.</li>
 *   <li>Resources are bounded: a wait holds a few small objects (no thread, no connection of its
 *   own inside the node's JVM, nothing per waiter for direct file readers; a remote reader holds
 *   one long-poll request per pending wait), all released when it completes, is cancelled or
 *   times out. Threads are shared per process (a timer thread, and for direct file readers one
 *   watcher thread).</li>
 *   <li>Futures complete on a shared internal thread (or on the caller's, when the pointer is
 *   already past {@code after}): dependent stages that do real work belong on an executor of
 *   their own ({@code thenApplyAsync(f, executor)}), so that they do not delay other waiters.</li>
 * </ul>
 * How each reader learns of commits: the engine's readers inside the node's JVM through the
 * engine's commit listener, remote readers through the node's long poll of the commit pointer,
 * direct file readers in other processes by watching the store's commit pointer file (file-system
 * notification where the platform has it, plus a short poll). See {@code docs/architecture.md}.
 */
public interface StoreReader extends AutoCloseable {

    StoreId store();

    /**
     * The store's incarnation: 32 lowercase hexadecimal characters, created with the store and
     * never changed; a store deleted and created again has a new one. Save it with a position: a
     * position only means something within its incarnation. Null only for a store written before
     * incarnations existed that no node of this release has opened yet.
     *
     * @throws StoreRecreatedException if the store was deleted and created again since this
     *                                 reader was opened (readers that can tell)
     */
    String incarnation();

    /** The commit pointer as it is now. */
    CommitPointer commitPointer();

    /**
     * Reads up to {@code maxEvents} events and about {@code maxBytes} bytes of records from
     * {@code from} (a batch holds at least one event if any is committed past {@code from}, however
     * large). Returns an empty batch when {@code from} is the commit position. The batch is valid
     * until the next call.
     *
     * @throws InvalidPositionException if {@code from} is negative, past the commit pointer, or not
     *                                  on a record boundary
     * @throws CorruptLogException      if committed bytes do not verify
     * @throws StoreRecreatedException  if the store is no longer the incarnation this reader was
     *                                  opened for (deleted and created again meanwhile)
     */
    EventBatch read(long from, int maxEvents, int maxBytes);

    /** {@link #read(long, int, int)} with the reader's default limits. */
    default EventBatch read(long from) {
        return read(from, ReadLimits.DEFAULT_MAX_EVENTS, ReadLimits.DEFAULT_MAX_BYTES);
    }

    /**
     * Completes with the commit pointer once its position is past {@code after}, or with the
     * pointer as it is when {@code timeout} passes (see the class comment for the full contract).
     *
     * @param after   a position: typically the {@code next} of the last batch read
     * @param timeout how long to wait at most; zero or negative answers the pointer as it is now
     */
    CompletableFuture<CommitPointer> commitAfter(long after, Duration timeout);

    /**
     * Blocks until the commit pointer is past {@code after} or {@code timeout} passes, and returns
     * the pointer then (see {@link #commitAfter}). An interrupt withdraws the wait.
     *
     * @throws InterruptedException if the calling thread is interrupted while waiting
     * @throws StoreException       (or another runtime exception) when the pointer cannot be known
     */
    default CommitPointer awaitCommit(long after, Duration timeout) throws InterruptedException {
        CompletableFuture<CommitPointer> wait = commitAfter(after, timeout);
        try {
            return wait.get();
        } catch (InterruptedException e) {
            wait.cancel(false);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new StoreException(store().value(), "waiting for a commit of store '" + store() + "' failed: "
                    + cause, cause);
        } catch (CancellationException e) {
            throw new StoreClosedException(store().value(), "the wait for a commit of store '" + store()
                    + "' was cancelled (the reader was closed)", e);
        }
    }

    /** Closes the reader's files and cancels the commit waits it has pending. */
    @Override
    void close();
}
