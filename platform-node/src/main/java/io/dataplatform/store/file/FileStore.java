package io.dataplatform.store.file;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.CommitListener;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.Durability;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.InvalidInputException;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.QueueFullException;
import io.dataplatform.store.StorageFullException;
import io.dataplatform.store.StoreClosedException;
import io.dataplatform.store.StoreFailedException;
import io.dataplatform.store.StoreId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.SyncFailedException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One store of a {@link FileStorageEngine}: its writer queue and its writer. Appends wait in a
 * queue bounded by bytes; the writer runs on the engine's shared pool when there is work, drains
 * the queue and commits everything in it as one group: one write, one sync, one commit pointer
 * update, then every append of the group completes. Imports commit alone. A commit that fails is
 * rolled back; if a sync failed, the store then refuses writes until it is reopened (see
 * {@link #fail}).
 *
 * <p>Thread-safe: {@link #offer} may be called from any thread; the log is touched only under
 * {@link #lock}, by the writer or by open/delete/close.
 */
final class FileStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileStore.class);
    private static final int GROUPS_PER_TURN = 8;

    private final StoreId id;
    private final Path directory;
    private final EngineOptions options;
    private final Executor pool;
    private final HandleBudget budget;
    private final List<CommitListener> listeners;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedCount = new AtomicInteger();
    private final AtomicLong queuedBytes;
    private final AtomicLong engineQueuedBytes;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    private final ThreadLocal<GroupEncoder> encoders;
    private GroupEncoder encoder;
    private StoreLog log;
    private volatile CommitPointer committed;
    /** Why this store was closed (deleted, engine closed), or null. */
    private volatile String failure;
    /** Why this store refuses writes until reopened (a failed sync or rollback), or null. */
    private volatile String refusal;
    private final FileOpener opener;
    private long lastPointerSync = System.nanoTime();

    sealed interface Pending permits Append, Import {
        CompletableFuture<AppendResult> future();

        long bytes();
    }

    record Append(List<NewEvent> events, long bytes, CompletableFuture<AppendResult> future) implements Pending {
    }

    record Import(Path file, CompletableFuture<AppendResult> future) implements Pending {
        @Override
        public long bytes() {
            return 0;
        }
    }

    FileStore(StoreId id, Path directory, EngineOptions options, Executor pool, HandleBudget budget,
              List<CommitListener> listeners, AtomicLong engineQueuedBytes, ThreadLocal<GroupEncoder> encoders,
              FileOpener opener) {
        this.opener = opener;
        this.id = id;
        this.directory = directory;
        this.options = options;
        this.pool = pool;
        this.budget = budget;
        this.listeners = listeners;
        this.queuedBytes = new AtomicLong();
        this.engineQueuedBytes = engineQueuedBytes;
        this.encoders = encoders;
    }

    StoreId id() {
        return id;
    }

    Path directory() {
        return directory;
    }

    /** Queues an append or import; fails it at once if the queue is full or the store refuses writes. */
    void offer(Pending pending) {
        RuntimeException refused = refused();
        if (refused != null) {
            pending.future().completeExceptionally(refused);
            return;
        }
        long bytes = pending.bytes();
        long now = queuedBytes.addAndGet(bytes);
        if (now > options.maxQueuedBytes() && now != bytes) {
            queuedBytes.addAndGet(-bytes);
            pending.future().completeExceptionally(new QueueFullException(id.value(), now - bytes, options.maxQueuedBytes()));
            return;
        }
        engineQueuedBytes.addAndGet(bytes);
        queuedCount.incrementAndGet();
        queue.add(pending);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            pool.execute(this::runWriter);
        }
    }

    /**
     * One turn of the writer: commits what is queued, group after group while appends keep
     * arriving (up to a few groups, so that stores sharing the pool take turns), then yields the
     * thread.
     */
    private void runWriter() {
        lock.lock();
        try {
            for (int group = 0; group < GROUPS_PER_TURN && !queue.isEmpty(); group++) {
                drain(queuedCount.get());
            }
        } catch (RuntimeException | Error e) {
            LOG.error("Store '{}': writer failed", id, e);
        } finally {
            lock.unlock();
            scheduled.set(false);
            if (!queue.isEmpty()) {
                schedule();
            }
        }
    }

    private void drain(int limit) {
        // write buffers belong to writer threads, not stores: memory does not grow with the store count
        encoder = encoders.get();
        List<Append> group = new ArrayList<>();
        for (int i = 0; i < limit; i++) {
            Pending next = queue.poll();
            if (next == null) {
                break;
            }
            queuedCount.decrementAndGet();
            queuedBytes.addAndGet(-next.bytes());
            engineQueuedBytes.addAndGet(-next.bytes());
            if (next instanceof Import imported) {
                // the group before it commits first: if that fails the store, the import must see it
                commitGroup(group);
                group = new ArrayList<>();
                if (open(imported)) {
                    commitImport(imported);
                }
            } else if (open(next)) {
                group.add((Append) next);
            }
        }
        commitGroup(group);
        // a store that refuses writes touches its files no more until it is reopened
        if (log != null && refusal == null) {
            try {
                if (System.nanoTime() - lastPointerSync > options.pointerSyncInterval().toNanos()) {
                    log.syncPointer();
                    lastPointerSync = System.nanoTime();
                }
                log.preallocate();
            } catch (IOException e) {
                // a failed sync is never just a full disk: the page cache can no longer be trusted
                if (StorageFullException.isDiskFull(e) && !causedBy(e, SyncFailedException.class)) {
                    LOG.warn("Store '{}': disk full; cannot preallocate", id);
                } else {
                    LOG.error("Store '{}': cannot sync the commit pointer or preallocate", id, e);
                    refuseWrites("syncing the commit pointer or preallocating failed (" + e.getMessage() + ")");
                }
            }
            budget.opened(this);
        }
    }

    /** Opens the log if needed; fails {@code pending} and returns false if it cannot be. */
    private boolean open(Pending pending) {
        RuntimeException refused = refused();
        if (refused != null) {
            pending.future().completeExceptionally(refused);
            return false;
        }
        try {
            ensureOpen(true);
            return true;
        } catch (RuntimeException e) {
            pending.future().completeExceptionally(StorageFullException.isDiskFull(e) ? new StorageFullException(id.value(), e) : e);
            return false;
        }
    }

    /** The error an append meets now, or null if the store takes writes. */
    private RuntimeException refused() {
        String closed = failure;
        if (closed != null) {
            return new StoreClosedException(id.value(), closed);
        }
        String failed = refusal;
        return failed == null ? null : new StoreFailedException(id.value(), failed);
    }

    /** Why the store refuses writes until reopened, or null if it takes them. */
    String refusal() {
        return failure == null ? refusal : null;
    }

    private void refuseWrites(String why) {
        if (refusal == null) {
            refusal = "store '" + id + "' refuses writes until it is reopened: " + why;
            LOG.error("{}", refusal);
        }
    }

    /** Recovers the store if this process has not opened it yet. Caller holds no lock or the lock. */
    CommitPointer ensureOpen(boolean create) {
        CommitPointer known = committed;
        if (known != null) {
            return known;
        }
        lock.lock();
        try {
            if (log == null) {
                log = StoreLog.open(id, directory, options.chunkSize(), create, options.durability() == Durability.SYNC,
                        opener);
                committed = log.committed();
                LOG.debug("Store '{}' opened at {}", id, committed);
            }
            return committed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open store '" + id + "' in " + directory, e);
        } finally {
            lock.unlock();
        }
    }

    /** The commit pointer, or null if this process has not opened the store. */
    CommitPointer committed() {
        return committed;
    }

    private void commitGroup(List<Append> group) {
        if (group.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        long version = log.committed().version();
        long timestamp = System.currentTimeMillis();
        AppendResult[] results = new AppendResult[group.size()];
        int events = 0;
        long syncNanos;
        CommitPointer pointer;
        boolean durable = options.durability() == Durability.SYNC;
        try {
            encoder.begin(log);
            for (int i = 0; i < group.size(); i++) {
                List<NewEvent> batch = group.get(i).events();
                long first = encoder.position();
                for (int e = 0; e < batch.size(); e++) {
                    encoder.put(batch.get(e), ++version, timestamp, e == batch.size() - 1);
                }
                events += batch.size();
                results[i] = new AppendResult(first, encoder.position(), version, batch.size(), durable);
            }
            encoder.flush();
            long written = System.nanoTime();
            if (durable) {
                log.sync();
            }
            syncNanos = System.nanoTime() - written;
            // a commit that created a chunk syncs the pointer before it is acknowledged, so that
            // recovery's walk from the pointer on disk never covers more than the last chunk
            boolean syncPointer = durable && log.rolledInCommit();
            pointer = log.commit(version);
            if (syncPointer) {
                syncPointerOrRefuseWrites();
            }
            publish(pointer, group.size(), events, written - started, syncNanos);
        } catch (IOException | RuntimeException e) {
            fail(group, e);
            return;
        } catch (Error e) {
            fail(group, new IllegalStateException("the writer failed: " + e, e));
            throw e;
        }
        for (int i = 0; i < group.size(); i++) {
            group.get(i).future().complete(results[i]);
        }
    }

    private void commitImport(Import pending) {
        long started = System.nanoTime();
        boolean durable = options.durability() == Durability.SYNC;
        try {
            long first = log.end();
            long before = log.committed().version();
            encoder.begin(log);
            long version = new StagedBatchImport(id, pending.file(), options, encoder).copy(before, System.currentTimeMillis());
            encoder.flush();
            long written = System.nanoTime();
            if (durable) {
                log.sync();
            }
            long syncNanos = System.nanoTime() - written;
            CommitPointer pointer = log.commit(version);
            if (durable) {
                syncPointerOrRefuseWrites();
            }
            publish(pointer, 1, (int) Math.min(Integer.MAX_VALUE, version - before), written - started, syncNanos);
            pending.future().complete(new AppendResult(first, pointer.position(), version,
                    (int) Math.min(Integer.MAX_VALUE, version - before), durable));
        } catch (IOException | RuntimeException e) {
            fail(List.of(pending), e);
        } catch (Error e) {
            fail(List.of(pending), new IllegalStateException("the writer failed: " + e, e));
            throw e;
        }
    }

    /**
     * Syncs the commit pointer just written. If that fails, the commit stands: its records are
     * synced, and recovery finds them by walking on from the pointer on disk (readers in other
     * processes may already have seen the new pointer, so it must not be taken back). But the
     * pointer file can no longer be trusted, so the store refuses writes until it is reopened,
     * which rewrites it.
     */
    private void syncPointerOrRefuseWrites() {
        try {
            log.syncPointer();
            lastPointerSync = System.nanoTime();
        } catch (IOException e) {
            LOG.error("Store '{}': syncing the commit pointer failed after the commit's records were synced", id, e);
            refuseWrites("syncing the commit pointer failed (" + e.getMessage() + ")");
        }
    }

    private void publish(CommitPointer pointer, int appends, int events, long writeNanos, long syncNanos) {
        committed = pointer;
        CommitListener.Commit commit = new CommitListener.Commit(id, pointer, appends, events,
                pointer.position() - encoder.startPosition(), writeNanos, syncNanos);
        for (CommitListener listener : listeners) {
            try {
                listener.committed(commit);
            } catch (RuntimeException e) {
                LOG.warn("Store '{}': commit listener failed", id, e);
            }
        }
    }

    /**
     * A commit failed: undo what it wrote and fail its appends. A full disk fails them with
     * {@link StorageFullException} and the store goes on once space returns. If a sync failed, the
     * page cache can no longer be trusted to match the disk (the kernel may have dropped the dirty
     * pages it could not write, and a later sync would then succeed over lost data), so the store
     * refuses writes until it is opened again; so it does if the rollback fails.
     */
    private void fail(List<? extends Pending> group, Exception cause) {
        Exception reported = cause;
        if (cause instanceof InvalidInputException) {
            reported = cause;
        } else if (causedBy(cause, SyncFailedException.class)) {
            // checked before a full disk: a sync that failed with ENOSPC lost pages all the same
            LOG.error("Store '{}': sync failed; rolling back a commit of {} append(s)", id, group.size(), cause);
            refuseWrites("a sync failed (" + cause.getMessage() + ")");
            reported = new StoreFailedException(id.value(), refusal);
        } else if (StorageFullException.isDiskFull(cause)) {
            LOG.warn("Store '{}': disk full; rolling back a commit of {} append(s)", id, group.size());
            reported = new StorageFullException(id.value(), cause);
        } else {
            LOG.error("Store '{}': commit of {} append(s) failed; rolling back", id, group.size(), cause);
            reported = new StoreClosedException(id.value(), "commit failed: " + cause.getMessage(), cause);
        }
        try {
            log.rollback();
        } catch (IOException | RuntimeException e) {
            LOG.error("Store '{}': rollback failed", id, e);
            refuseWrites("a failed commit could not be rolled back (" + e.getMessage() + ")");
        }
        for (Pending pending : group) {
            pending.future().completeExceptionally(reported);
        }
    }

    /** Stops the store for good: fails what is queued, releases its files. Caller must not hold the lock. */
    void close(String reason) {
        lock.lock();
        try {
            failure = reason;
            Pending pending;
            while ((pending = queue.poll()) != null) {
                queuedCount.decrementAndGet();
                queuedBytes.addAndGet(-pending.bytes());
                engineQueuedBytes.addAndGet(-pending.bytes());
                pending.future().completeExceptionally(new StoreClosedException(id.value(), reason));
            }
            releaseHandles();
        } finally {
            lock.unlock();
        }
    }

    /** Commits everything queued now, on the calling thread. */
    void flush() {
        lock.lock();
        try {
            drain(Integer.MAX_VALUE);
        } finally {
            lock.unlock();
        }
    }

    /** Releases the file handles if the writer is idle; false if it is busy. */
    boolean tryReleaseHandles() {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            if (!queue.isEmpty()) {
                return false;
            }
            releaseHandles();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void releaseHandles() {
        if (log != null && log.holdsHandles()) {
            try {
                log.releaseHandles();
                lastPointerSync = System.nanoTime();
            } catch (IOException e) {
                if (causedBy(e, SyncFailedException.class)) {
                    refuseWrites("syncing its files while closing them failed (" + e.getMessage() + ")");
                } else {
                    LOG.warn("Store '{}': error closing files", id, e);
                }
            }
        }
        budget.closed(this);
    }

    /** Runs {@code action} on the log under the lock (stats, delete). */
    <T> T withLog(java.util.function.Function<StoreLog, T> action) {
        lock.lock();
        try {
            return action.apply(log);
        } finally {
            lock.unlock();
        }
    }

    long queuedBytes() {
        return queuedBytes.get();
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
