package io.dataplatform.views;

import io.dataplatform.views.spi.BackendContainer;
import io.dataplatform.views.spi.DocumentVersion;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the dirty documents of one container ({@link DirtyViews}) to their files behind the
 * commits. A pass takes a snapshot of the dirty set, writes the newest version of each document,
 * then the checkpoint. Passes run on the flusher's own daemon thread as soon as documents are
 * dirty, but at most once per interval (so a view rewritten by every commit is written once per
 * interval), and at once when a commit waits for room or the journal passes its limit. After the
 * documents of a pass (and every fifth of an interval during a long pass) it publishes the
 * container's generation, which tells readers in other processes to check their cached views.
 *
 * <p>When the journal passes its limit (and at close), a pass ends with the bulk sync and the
 * journal drop, under the container's write lock: no commit can append an entry between the
 * last document written and the drop, so every entry dropped is covered by durable files.
 *
 * <p>A failure (after retries) stops the flusher: it is logged, and the container refuses
 * commits from then on, naming it; the journal still holds every commit, and reopening the
 * store applies them.
 *
 * <p>Owns its thread. Thread-safe: passes are serialized by a lock, whichever thread runs them
 * (the flusher, {@code close}, a test).
 */
final class ViewFlusher {

    private static final Logger LOG = LoggerFactory.getLogger(ViewFlusher.class);

    /** Ends a pass when the store is abandoned (a simulated crash): not a failure. */
    private static final class Abandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super("abandoned", null, false, false);
        }
    }

    private final String name;
    private final DirtyViews dirty;
    private final ViewWriter writer;
    private final BackendContainer backend;
    private final DocumentCache cache;
    private final CommitHook hook;
    private final ReentrantLock writeLock;
    private final long journalLimitBytes;
    /** Nanoseconds between passes, or -1: only when hurried (test seam). */
    private final long intervalNanos;
    /** The longest a pass writes documents before publishing the container's generation to other processes. */
    private final long publishNanos;
    private final ReentrantLock passLock = new ReentrantLock();
    private final ReentrantLock signalLock = new ReentrantLock();
    private final Condition signal = signalLock.newCondition();
    private boolean hurried;
    private boolean stopping;
    private volatile boolean abandoned;
    private volatile Throwable failure;
    private Thread thread;

    ViewFlusher(String name, DirtyViews dirty, ViewWriter writer, BackendContainer backend, DocumentCache cache,
            CommitHook hook, ReentrantLock writeLock, long journalLimitBytes, WriteBehind writeBehind) {
        this.name = name;
        this.dirty = dirty;
        this.writer = writer;
        this.backend = backend;
        this.cache = cache;
        this.hook = hook;
        this.writeLock = writeLock;
        this.journalLimitBytes = journalLimitBytes;
        this.intervalNanos = writeBehind.interval() == null ? -1 : writeBehind.interval().toNanos();
        this.publishNanos = writeBehind.interval() == null ? Long.MAX_VALUE : writeBehind.publishEvery().toNanos();
    }

    void start() {
        thread = new Thread(this::run, "views-flusher-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** A commit made documents dirty; {@code journalFull}: its journal passed the limit, so pass at once. */
    void committed(boolean journalFull) {
        wake(journalFull && intervalNanos >= 0);
    }

    /** A pass now, not after the interval: a commit waits for room. */
    void hurry() {
        wake(true);
    }

    private void wake(boolean hurry) {
        signalLock.lock();
        try {
            hurried |= hurry;
            signal.signal();
        } finally {
            signalLock.unlock();
        }
    }

    /** The failure that stopped the flusher, or null. */
    Throwable failure() {
        return failure;
    }

    /**
     * Runs a pass on the calling thread; with {@code dropJournal}, ends it with the bulk sync and
     * the journal drop whatever the journal's size. Rethrows the failure that stopped the flusher.
     */
    void flush(boolean dropJournal) {
        pass(dropJournal);
    }

    /** Ends the thread after its current pass and waits for it. */
    void stop() {
        signalLock.lock();
        try {
            stopping = true;
            signal.signal();
        } finally {
            signalLock.unlock();
        }
        join();
    }

    /** Ends the thread at the next document, writing nothing more, and waits for it: what a crash does. */
    void abandon() {
        abandoned = true;
        stop();
    }

    private void join() {
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // the thread ends after its pass: wait for it anyway
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long lastPass = System.nanoTime() - Math.max(intervalNanos, 0);
        while (true) {
            signalLock.lock();
            try {
                while (!stopping && !hurried) {
                    if (dirty.isEmpty() || intervalNanos < 0) {
                        signal.await();
                    } else {
                        long wait = lastPass + intervalNanos - System.nanoTime();
                        if (wait <= 0) {
                            break;
                        }
                        signal.awaitNanos(wait);
                    }
                }
                if (stopping) {
                    return;
                }
                hurried = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                signalLock.unlock();
            }
            lastPass = System.nanoTime();
            try {
                pass(false);
            } catch (RuntimeException | Error e) {
                return; // recorded by the pass (or a crash simulation)
            }
        }
    }

    private void pass(boolean dropJournal) {
        passLock.lock();
        try {
            Throwable failed = failure;
            if (failed != null) {
                throw rethrown(failed);
            }
            try {
                writeDirty();
                long journal = backend.journalBytes();
                if (journal > 0 && (dropJournal || journal >= journalLimitBytes)) {
                    writer.syncDocuments(); // most of the bulk sync, while commits go on
                    writeLock.lock();
                    try {
                        writeDirty(); // what was committed meanwhile; no commit can append now
                        writer.syncAndDropJournal(hook);
                    } finally {
                        writeLock.unlock();
                    }
                }
            } catch (Abandoned e) {
                throw e;
            } catch (RuntimeException | Error e) {
                fail(e);
                throw e;
            }
        } finally {
            passLock.unlock();
        }
    }

    private void writeDirty() {
        DirtyViews.Snapshot snapshot = dirty.snapshot();
        long published = System.nanoTime();
        boolean unpublished = false;
        for (Map.Entry<String, DirtyViews.Document> dirtyDocument : snapshot.documents().entrySet()) {
            checkAbandoned();
            String key = dirtyDocument.getKey();
            DirtyViews.Document document = dirtyDocument.getValue();
            DocumentVersion version = writer.write(key, document.bytes);
            dirty.written(key, document, () -> cache.written(new DocumentCache.Key(name, key), document.bytes, version));
            hook.reached(CommitStep.VIEW_WRITTEN);
            unpublished = true;
            if (System.nanoTime() - published >= publishNanos) { // a long pass: let other processes see it so far
                writer.publishGeneration();
                published = System.nanoTime();
                unpublished = false;
            }
        }
        if (unpublished) {
            writer.publishGeneration();
        }
        byte[] checkpoint = snapshot.checkpoint();
        if (checkpoint != null) {
            checkAbandoned();
            writer.writeCheckpoint(checkpoint);
            dirty.checkpointWritten(checkpoint);
            hook.reached(CommitStep.CHECKPOINT_WRITTEN);
        }
    }

    private void checkAbandoned() {
        if (abandoned) {
            throw new Abandoned();
        }
    }

    private void fail(Throwable e) {
        failure = e;
        dirty.stop();
        LOG.error("Container {}: writing views behind the commits failed; commits are refused until the store is "
                + "reopened, which applies them again from the journal", name, e);
    }

    private static RuntimeException rethrown(Throwable failed) {
        if (failed instanceof Error error) {
            throw error;
        }
        if (failed instanceof RuntimeException runtime) {
            return runtime;
        }
        return new IllegalStateException(failed);
    }
}
