package io.dataplatform.store.log;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.Durability;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.InvalidInputException;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.OwnershipLostException;
import io.dataplatform.store.StorageFullException;
import io.dataplatform.store.StoreClosedException;
import io.dataplatform.store.StoreFailedException;
import io.dataplatform.store.StoreId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.SyncFailedException;
import java.util.List;

/**
 * Commits one store's writes to its {@link StoreLog}: a group of appends as one write, one sync
 * and one commit pointer update; an import alone. A commit that fails is rolled back and its
 * writes failed with what the caller should know (disk full, store failed, closed, store no longer
 * held); a failed sync, or a rollback that failed, makes the store refuse writes
 * ({@link StoreHealth}). Between turns it
 * makes the commit pointer durable at most every {@code pointerSyncInterval} and preallocates.
 *
 * <p>The log, the encoder and the clock of pointer syncs are touched only under the store's lock,
 * by whoever holds it (the writer, flush, close): not thread-safe on its own.
 */
final class GroupCommitter {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    /** Told of each commit, before any of its writes completes. */
    @FunctionalInterface
    interface Publisher {
        void published(CommitPointer pointer, int appends, int events, long bytes, long writeNanos, long syncNanos);
    }

    private final StoreId id;
    private final EngineOptions options;
    private final StoreHealth health;
    private final Publisher publisher;
    private final Runnable holdLost;
    private final boolean durable;
    private long lastPointerSync = System.nanoTime();

    /**
     * @param holdLost run when a commit finds that this process no longer holds the store, after
     *                 the commit is rolled back and before its writes fail: it drops the log
     */
    GroupCommitter(StoreId id, EngineOptions options, StoreHealth health, Publisher publisher, Runnable holdLost) {
        this.id = id;
        this.options = options;
        this.health = health;
        this.publisher = publisher;
        this.holdLost = holdLost;
        this.durable = options.durability() == Durability.SYNC;
    }

    /** Commits {@code group} as one commit and completes its futures (each with its own result, or the failure). */
    void commitGroup(StoreLog log, GroupEncoder encoder, List<PendingWrite.Append> group) {
        if (group.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        long version = log.committed().version();
        long timestamp = System.currentTimeMillis();
        AppendResult[] results = new AppendResult[group.size()];
        int events = 0;
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
            long syncNanos = System.nanoTime() - written;
            // a commit that created a chunk syncs the pointer before it is acknowledged, so that
            // recovery's walk from the pointer on disk never covers more than the last chunk
            boolean syncPointer = durable && log.rolledInCommit();
            CommitPointer pointer = log.commit(version);
            if (syncPointer) {
                syncPointerOrRefuseWrites(log);
            }
            publisher.published(pointer, group.size(), events, pointer.position() - encoder.startPosition(),
                    written - started, syncNanos);
        } catch (IOException | RuntimeException e) {
            failAll(group, rollBack(log, group.size(), e));
            return;
        } catch (Error e) {
            failAll(group, rollBack(log, group.size(), new IllegalStateException("the writer failed: " + e, e)));
            throw e;
        }
        for (int i = 0; i < group.size(); i++) {
            group.get(i).future().complete(results[i]);
        }
    }

    /**
     * Commits an import alone and returns its result, leaving its future to the caller (which
     * consumes the staged batch first, or removes a store the import created).
     *
     * @throws RuntimeException the error to fail the import with, once its commit is rolled back
     */
    AppendResult commitImport(StoreLog log, GroupEncoder encoder, PendingWrite.Import pending) {
        long started = System.nanoTime();
        try {
            long first = log.end();
            long before = log.committed().version();
            encoder.begin(log);
            long version = new StagedBatchImport(id, pending.batch(), options, encoder).copy(before, System.currentTimeMillis());
            encoder.flush();
            long written = System.nanoTime();
            if (durable) {
                log.sync();
            }
            long syncNanos = System.nanoTime() - written;
            CommitPointer pointer = log.commit(version);
            if (durable) {
                syncPointerOrRefuseWrites(log);
            }
            int events = (int) Math.min(Integer.MAX_VALUE, version - before);
            publisher.published(pointer, 1, events, pointer.position() - encoder.startPosition(), written - started, syncNanos);
            return new AppendResult(first, pointer.position(), version, events, durable);
        } catch (IOException | RuntimeException e) {
            throw rollBack(log, 1, e);
        } catch (Error e) {
            pending.future().completeExceptionally(rollBack(log, 1, new IllegalStateException("the writer failed: " + e, e)));
            throw e;
        }
    }

    /**
     * After a writer's turn: syncs the commit pointer if the interval has passed, and preallocates.
     * Only for a store that takes writes.
     */
    void afterTurn(StoreLog log) {
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
                health.refuseWrites("syncing the commit pointer or preallocating failed (" + e.getMessage() + ")");
            }
        }
    }

    /** The commit pointer was made durable by releasing the log's handles. */
    void pointerSynced() {
        lastPointerSync = System.nanoTime();
    }

    /**
     * Syncs the commit pointer just written. If that fails, the commit stands: its records are
     * synced, and recovery finds them by walking on from the pointer on disk (readers in other
     * processes may already have seen the new pointer, so it must not be taken back). But the
     * pointer on storage can no longer be trusted, so the store refuses writes until it is reopened,
     * which rewrites it.
     */
    private void syncPointerOrRefuseWrites(StoreLog log) {
        try {
            log.syncPointer();
            lastPointerSync = System.nanoTime();
        } catch (IOException e) {
            LOG.error("Store '{}': syncing the commit pointer failed after the commit's records were synced", id, e);
            health.refuseWrites("syncing the commit pointer failed (" + e.getMessage() + ")");
        }
    }

    private static void failAll(List<? extends PendingWrite> group, RuntimeException reported) {
        for (PendingWrite pending : group) {
            pending.future().completeExceptionally(reported);
        }
    }

    /**
     * A commit of {@code writes} writes failed: undo what it wrote and return the error to fail
     * them with. Bad input (a staged record that does not verify) is reported as it is. A full disk fails them with {@link StorageFullException}
     * and the store goes on once space returns. If a sync failed, the page cache can no longer be
     * trusted to match the disk (the kernel may have dropped the dirty pages it could not write,
     * and a later sync would then succeed over lost data), so the store refuses writes until it is
     * opened again; so it does if the rollback fails.
     */
    private RuntimeException rollBack(StoreLog log, int writes, Throwable cause) {
        RuntimeException reported;
        OwnershipLostException lost = cause(cause, OwnershipLostException.class);
        if (cause instanceof InvalidInputException invalid) {
            reported = invalid;
        } else if (lost != null) {
            // nothing of the commit is visible: only the holder moves the pointer; the log is dropped
            LOG.warn("Store '{}': no longer held; a commit of {} write(s) fails: {}", id, writes, lost.getMessage());
            try {
                log.rollback();
            } catch (IOException | RuntimeException e) {
                LOG.debug("Store '{}': rollback of a log no longer held", id, e);
            }
            holdLost.run();
            return lost;
        } else if (causedBy(cause, SyncFailedException.class)) {
            // checked before a full disk: a sync that failed with ENOSPC lost pages all the same
            LOG.error("Store '{}': sync failed; rolling back a commit of {} write(s)", id, writes, cause);
            health.refuseWrites("a sync failed (" + cause.getMessage() + ")");
            reported = new StoreFailedException(id.value(), health.refusal());
        } else if (StorageFullException.isDiskFull(cause)) {
            LOG.warn("Store '{}': disk full; rolling back a commit of {} write(s)", id, writes);
            reported = new StorageFullException(id.value(), cause);
        } else {
            LOG.error("Store '{}': commit of {} write(s) failed; rolling back", id, writes, cause);
            reported = new StoreClosedException(id.value(), "commit failed: " + cause.getMessage(), cause);
        }
        try {
            log.rollback();
        } catch (IOException | RuntimeException e) {
            LOG.error("Store '{}': rollback failed", id, e);
            health.refuseWrites("a failed commit could not be rolled back (" + e.getMessage() + ")");
        }
        return reported;
    }

    static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        return cause(failure, type) != null;
    }

    /** {@code failure} or the first of its causes that is a {@code type}, or null. */
    static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
