package io.dataplatform.store.log;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.CommitListener;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.OwnershipLostException;
import io.dataplatform.store.StorageFullException;
import io.dataplatform.store.StoreClosedException;
import io.dataplatform.store.StoreException;
import io.dataplatform.store.StoreHeldException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.SyncFailedException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * One store of a {@link LogStorageEngine}: its writer. Writes wait in a {@link WriterQueue}; when
 * there is work the store schedules one turn on the engine's shared pool, which drains the queue
 * and hands each group to the {@link GroupCommitter}; whether the store takes writes is its
 * {@link StoreHealth}. This class opens (and so recovers) the store's {@link StoreLog} through the
 * engine's {@link LogSpace}, releases its handles when idle, consumes a staged batch once
 * imported, removes a store that a refused import created, and drops a log whose backend says this
 * process no longer holds the store (it is opened again by the next write).
 *
 * <p>Thread-safe: {@link #offer} may be called from any thread; the log is touched only under
 * {@link #lock}, by the writer or by open/delete/close.
 */
final class LogStore {

    private static final Logger LOG = LoggerFactory.getLogger(LogStore.class);
    private static final int GROUPS_PER_TURN = 8;

    private final StoreId id;
    private final LogSpace space;
    private final Executor pool;
    private final HandleBudget budget;
    private final List<CommitListener> listeners;
    private final WriterQueue queue;
    private final StoreHealth health;
    private final GroupCommitter committer;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    private final ThreadLocal<GroupEncoder> encoders;
    private GroupEncoder encoder;
    private StoreLog log;
    private volatile CommitPointer committed;
    private volatile String incarnation;

    LogStore(StoreId id, LogSpace space, EngineOptions options, Executor pool, HandleBudget budget,
             List<CommitListener> listeners, AtomicLong engineQueuedBytes, ThreadLocal<GroupEncoder> encoders) {
        this.id = id;
        this.space = space;
        this.pool = pool;
        this.budget = budget;
        this.listeners = listeners;
        this.encoders = encoders;
        this.queue = new WriterQueue(id.value(), options.maxQueuedBytes(), engineQueuedBytes);
        this.health = new StoreHealth(id);
        this.committer = new GroupCommitter(id, options, health, this::publish, this::dropLog);
    }

    StoreId id() {
        return id;
    }

    /** Queues an append or import; fails it at once if the queue is full or the store refuses writes. */
    void offer(PendingWrite pending) {
        RuntimeException refused = health.refused();
        if (refused != null) {
            pending.future().completeExceptionally(refused);
            return;
        }
        if (queue.offer(pending)) {
            schedule();
        }
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
                drain(queue.size());
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
        List<PendingWrite.Append> group = new ArrayList<>();
        for (int i = 0; i < limit; i++) {
            PendingWrite next = queue.poll();
            if (next == null) {
                break;
            }
            if (next instanceof PendingWrite.Import imported) {
                // the group before it commits first: if that fails the store, the import must see it
                committer.commitGroup(log, encoder, group);
                group = new ArrayList<>();
                runImport(imported);
            } else if (open(next)) {
                group.add((PendingWrite.Append) next);
            }
        }
        if (!group.isEmpty()) {
            committer.commitGroup(log, encoder, group);
        }
        // a store that refuses writes touches its storage no more until it is reopened
        if (log != null && health.takesWrites()) {
            committer.afterTurn(log);
            budget.opened(this);
        }
    }

    /**
     * Commits an import. Once it is committed, the staged batch is consumed before the import is
     * acknowledged (a replayed request then finds nothing to import); if the import is refused and
     * it created the store, the store is removed again.
     */
    private void runImport(PendingWrite.Import imported) {
        boolean existed = log != null || space.exists(id);
        if (!open(imported)) {
            return;
        }
        AppendResult result;
        try {
            result = committer.commitImport(log, encoder, imported);
        } catch (RuntimeException refused) {
            // removed before the import is answered, so that whoever gets the answer finds no store
            if (!existed && health.takesWrites() && !(refused instanceof OwnershipLostException)) {
                removeCreatedStore();
            }
            imported.future().completeExceptionally(refused);
            return;
        }
        try {
            imported.batch().consume();
        } catch (IOException | RuntimeException e) {
            // the batch is committed: acknowledging it is right; a replay could append it again
            LOG.warn("Store '{}': imported staged batch '{}' but cannot remove it; importing it again would append it"
                    + " twice", id, imported.batch().location(), e);
        }
        imported.future().complete(result);
    }

    /** Removes a store that a refused import created: nothing was ever committed to it. */
    private void removeCreatedStore() {
        releaseHandles();
        closeLog();
        log = null;
        committed = null;
        incarnation = null;
        try {
            space.delete(id);
            LOG.info("Store '{}' removed again: the import that created it was refused", id);
        } catch (IOException e) {
            LOG.warn("Store '{}': cannot remove the store created by a refused import", id, e);
        }
    }

    /** Opens the log if needed; fails {@code pending} and returns false if it cannot be. */
    private boolean open(PendingWrite pending) {
        RuntimeException refused = health.refused();
        if (refused != null) {
            pending.future().completeExceptionally(refused);
            return false;
        }
        try {
            if (log == null) {
                openLog(true);
            }
            return true;
        } catch (RuntimeException e) {
            pending.future().completeExceptionally(StorageFullException.isDiskFull(e) ? new StorageFullException(id.value(), e) : e);
            return false;
        }
    }

    /** Why the store refuses writes until reopened, or null if it takes them. */
    String refusal() {
        return health.refusal();
    }

    /** Why the store could not be opened the last time it was tried, or null. */
    StoreException damage() {
        return health.damage();
    }

    /**
     * Recovers the store if this process has not opened it yet. Caller holds no lock or the lock.
     * A failure to open it (other than its absence) is remembered as damage until an open succeeds.
     */
    CommitPointer ensureOpen(boolean create) {
        CommitPointer known = committed;
        if (known != null) {
            return known;
        }
        lock.lock();
        try {
            if (committed == null) {
                openLog(create);
            }
            return committed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Opens the log through the space, recovering the store. Caller holds the lock. A store held
     * by another writer is not damaged: it is refused, and tried again on the next use.
     */
    private void openLog(boolean create) {
        try {
            StoreLog opened = space.open(id, create);
            String openedIncarnation = opened.incarnation();
            if (incarnation != null && !incarnation.equals(openedIncarnation)) {
                // deleted and created again by another writer while this one had dropped it
                LOG.warn("Store '{}' has a new incarnation {} (was {})", id, openedIncarnation, incarnation);
            }
            log = opened;
            incarnation = openedIncarnation;
            committed = log.committed();
            health.opened();
            LOG.debug("Store '{}' opened at {}", id, committed);
        } catch (IOException e) {
            UncheckedIOException failure = new UncheckedIOException("cannot open store '" + id + "' in "
                    + space.describe(), e);
            if (!StorageFullException.isDiskFull(e)) {
                health.damaged(failure);
            }
            throw failure;
        } catch (StoreNotFoundException | StoreHeldException e) {
            throw e;
        } catch (RuntimeException e) {
            if (!StorageFullException.isDiskFull(e)) {
                health.damaged(e);
            }
            throw e;
        }
    }

    /**
     * This process no longer holds the store (its backend said so during a commit, which is rolled
     * back): closes the log without trusting it further, before the commit's writes fail; the next
     * write opens it again. Caller holds the lock.
     */
    private void dropLog() {
        if (log == null) {
            return;
        }
        try {
            log.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Store '{}': closing a log no longer held", id, e);
        }
        log = null;
        budget.closed(this);
        LOG.warn("Store '{}': this node no longer holds it; the next write opens it again", id);
    }

    /** The commit pointer, or null if this process has not opened the store. */
    CommitPointer committed() {
        return committed;
    }

    /** The store's incarnation, or null if this process has not opened the store. */
    String incarnation() {
        return incarnation;
    }

    private void publish(CommitPointer pointer, int appends, int events, long bytes, long writeNanos, long syncNanos) {
        committed = pointer;
        CommitListener.Commit commit = new CommitListener.Commit(id, pointer, appends, events, bytes, writeNanos,
                syncNanos);
        for (CommitListener listener : listeners) {
            try {
                listener.committed(commit);
            } catch (RuntimeException e) {
                LOG.warn("Store '{}': commit listener failed", id, e);
            }
        }
    }

    /** Stops the store for good: fails what is queued, releases its log. Caller must not hold the lock. */
    void close(String reason) {
        lock.lock();
        try {
            health.close(reason);
            queue.failAll(() -> new StoreClosedException(id.value(), reason));
            releaseHandles();
            closeLog();
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

    /** Releases the log's handles if the writer is idle; false if it is busy. */
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
                committer.pointerSynced();
            } catch (IOException e) {
                if (GroupCommitter.causedBy(e, SyncFailedException.class)) {
                    health.refuseWrites("syncing its log while releasing its handles failed (" + e.getMessage() + ")");
                } else {
                    LOG.warn("Store '{}': error releasing its log's handles", id, e);
                }
            }
        }
        budget.closed(this);
    }

    /** Closes the log for good (a backend's hold on the store is given up); its handles are released first. */
    private void closeLog() {
        if (log != null) {
            try {
                log.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Store '{}': error closing its log", id, e);
            }
        }
    }

    /** Runs {@code action} on the log (null if none is open) under the lock (stats). */
    <T> T withLog(Function<StoreLog, T> action) {
        lock.lock();
        try {
            return action.apply(log);
        } finally {
            lock.unlock();
        }
    }

    long queuedBytes() {
        return queue.bytes();
    }
}
