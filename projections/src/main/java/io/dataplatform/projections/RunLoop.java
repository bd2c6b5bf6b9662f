package io.dataplatform.projections;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.StoreRecreatedException;
import io.dataplatform.views.Checkpoint;
import io.dataplatform.views.ViewChange;
import io.dataplatform.views.ViewContainer;
import io.dataplatform.views.ViewStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The read/wait loop of one runner, on the runner's thread: opens the store's reader and the view
 * container (taking the container over with a new writer epoch the first time), reads the
 * checkpoint, then reads a batch, applies it, commits it ({@link BatchCommit}); caught up, waits for
 * the store's next commit or a control signal; paused, keeps the head fresh. Failures go to
 * {@link BatchRetries}; a recreated store stops it FAILED or resets the container. Runner's thread
 * only, except what it shows through {@link RunnerProgress}.
 */
final class RunLoop {

    private static final Logger LOG = LoggerFactory.getLogger(RunLoop.class);
    private static final Duration COMMIT_WAIT = Duration.ofSeconds(10);
    private static final long STORE_ABSENT_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String name;
    private final Projection projection;
    private final ProjectionConfig config;
    private final RunnerSettings settings;
    private final StoreId store;
    private final StoreReaders readers;
    private final ViewStore views;
    private final String containerName;
    private final ProjectionRunner.Listener listener;
    private final RunnerControl control;
    private final RunnerProgress progress;
    private final BatchRetries retries;
    private final BatchCommit commit;
    private final ClassLoader loader;
    /** Decodes event data for this runner's batches; goes with the runner (it caches the plugin's classes). */
    private final ObjectMapper eventMapper = Batch.newMapper();

    private StoreReader source;
    private ViewContainer container;
    private String incarnation;
    /** This runner's writer epoch on the container; -1 until it took the container over. */
    private long epoch = -1;
    /** A reset dropped the container and has not yet committed its fresh checkpoint: do it again. */
    private boolean resetPending;

    RunLoop(String name, Projection projection, ProjectionConfig config, RunnerSettings settings, StoreId store,
            StoreReaders readers, ViewStore views, String containerName, ClassLoader loader,
            ProjectionRunner.Listener listener, RunnerControl control, RunnerProgress progress) {
        this.loader = loader;
        this.name = name;
        this.projection = projection;
        this.config = config;
        this.settings = settings;
        this.store = store;
        this.readers = readers;
        this.views = views;
        this.containerName = containerName;
        this.listener = listener;
        this.control = control;
        this.progress = progress;
        this.retries = new BatchRetries(name, settings.backoff(), progress);
        this.commit = new BatchCommit(name, store, containerName);
    }

    /** The whole run: starts the projection, loops until stopped or FAILED, stops the projection. */
    void run() {
        boolean started = false;
        try {
            try {
                inPlugin(() -> projection.start(config));
            } catch (Exception | LinkageError e) {
                throw new RunnerFailures.Fatal("projection '" + name + "' failed to start: " + RunnerFailures.describe(e),
                        -1, e);
            }
            started = true;
            loop();
        } catch (RunnerFailures.Stop e) {
            // asked to stop
        } catch (RunnerFailures.Superseded e) {
            progress.error(e.getMessage(), progress.position());
            LOG.warn("projection '{}' stops: {}", name, e.getMessage());
        } catch (RunnerFailures.Fatal e) {
            fail(e.getMessage(), e.position, e.getCause());
        } catch (RuntimeException | Error e) {
            fail("projection '" + name + "' stopped: " + RunnerFailures.describe(e), progress.position(), e);
        } finally {
            if (started) {
                try {
                    inPlugin(projection::stop);
                } catch (Exception | LinkageError e) {
                    LOG.warn("projection '{}' failed to stop cleanly: {}", name, e.toString());
                }
            }
            closeSource();
            if (progress.state() != ProjectionState.FAILED) {
                progress.state(ProjectionState.STOPPED);
            }
        }
    }

    private void fail(String message, long at, Throwable cause) {
        progress.error(message, at);
        progress.state(ProjectionState.FAILED);
        LOG.error("projection '{}' FAILED: {}", name, message, cause);
    }

    private void loop() {
        while (true) {
            control.checkStop();
            try {
                if (control.rebuildRequested() || resetPending) {
                    // before open(): a checkpoint of a recreated store must not stop a rebuild
                    reset(resetPending ? "finishing an interrupted reset" : "asked to rebuild");
                    control.rebuildRequested(false); // only once the reset is done: a failed one is tried again
                    continue;
                }
                if (source == null && !open()) {
                    continue;
                }
                if (control.paused()) {
                    progress.state(ProjectionState.PAUSED);
                    waitWhilePaused();
                    continue;
                }
                progress.state(ProjectionState.RUNNING);
                step();
                retries.succeeded(); // a batch committed, or the read reached the commit pointer
            } catch (RunnerFailures.Stop | RunnerFailures.Fatal | RunnerFailures.Superseded e) {
                throw e;
            } catch (StoreRecreatedException e) {
                recreated("it was opened for incarnation " + e.expected() + " and is now incarnation " + e.actual(),
                        progress.position());
            } catch (StoreNotFoundException e) {
                closeSource();
                progress.error("waiting for store '" + store + "' to exist", progress.position());
                control.sleep(STORE_ABSENT_PAUSE_NANOS);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                // a runner asked to stop retries nothing, and leaves the container alone: a newer runner may own it now
                control.checkStop();
                closeSource();
                if (e instanceof RunnerFailures.CommitFailure) {
                    releaseContainer(); // a failed commit leaves the container refusing commits until reopened
                }
                control.sleep(retries.failed(e, progress.position()));
            }
        }
    }

    /**
     * Opens the source and the container, reads the checkpoint and checks it belongs to this
     * incarnation of the store. The first time, takes the container over with a new writer epoch:
     * from then on a runner given up before this one can no longer commit. Returns false when the
     * store does not exist yet (after a pause).
     */
    private boolean open() {
        container = views.container(containerName);
        Checkpoint checkpoint;
        if (epoch < 0) {
            control.checkStop(); // a runner given up before it read anything never takes the container over
            checkpoint = container.beginEpoch();
            epoch = checkpoint.epoch();
            if (checkpoint.position() == 0 && checkpoint.metadata().isEmpty()) {
                checkpoint = null; // nothing committed before: the epoch's own first checkpoint
            }
        } else {
            checkpoint = container.readCheckpoint();
            if (checkpoint == null || checkpoint.epoch() != epoch) {
                container = null; // not ours any more: leave it to the runner that holds it
                throw new RunnerFailures.Superseded("projection '" + name + "' no longer writes container '"
                        + containerName + "': " + (checkpoint == null ? "it was dropped"
                        : "a newer runner took it over (epoch " + checkpoint.epoch() + ", this runner's " + epoch + ")"),
                        null);
            }
        }
        if (checkpoint != null) {
            String savedStore = checkpoint.metadata().get(BatchCommit.META_STORE);
            if (savedStore != null && !savedStore.equals(store.value())) {
                throw new RunnerFailures.Fatal("view container '" + containerName + "' holds the checkpoint of store '"
                        + savedStore + "', not of '" + store + "': give this projection a container of its own",
                        checkpoint.position(), null);
            }
        }
        String saved = checkpoint == null ? null : checkpoint.metadata().get(BatchCommit.META_INCARNATION);
        try {
            source = readers.open(saved);
        } catch (StoreRecreatedException e) {
            recreated("its checkpoint belongs to incarnation " + e.expected() + " and the store is now incarnation "
                    + e.actual(), checkpoint.position());
            return true;
        }
        incarnation = source.incarnation();
        CommitPointer now = source.commitPointer();
        progress.head(now);
        if (checkpoint == null) {
            progress.resumeAt(0, 0);
        } else {
            if (checkpoint.position() > now.position()) {
                recreated("its checkpoint (position " + checkpoint.position() + ") is past the store's commit pointer ("
                        + now.position() + ")", checkpoint.position());
                return true;
            }
            progress.resumeAt(checkpoint.position(), BatchCommit.parseLong(checkpoint.metadata().get(BatchCommit.META_VERSION)));
        }
        LOG.info("projection '{}' reads store '{}' (incarnation {}) from position {} into container '{}' (writer epoch {})",
                name, store, incarnation, progress.position(), containerName, epoch);
        return true;
    }

    private void recreated(String why, long at) {
        String message = "store '" + store + "' was recreated (deleted and created again): " + why;
        if (settings.rebuildOnRecreate() || control.rebuildRequested()) {
            LOG.warn("projection '{}': {}; rebuilding it", name, message);
            reset(message);
            control.rebuildRequested(false);
            return;
        }
        throw new RunnerFailures.Fatal(message + ". Rebuild the projection (POST /projections/" + name
                + "/rebuild) to replay the new store, or set " + FrameworkKeys.REBUILD_ON_STORE_RECREATED + "=true", at, null);
    }

    /** Reads and applies one batch, or waits for the next commit when caught up. */
    private void step() {
        long position = progress.position();
        EventBatch events = source.read(position, settings.maxEvents(), settings.maxBytes());
        if (events.isEmpty()) {
            CompletableFuture<Void> woken = control.wakeFuture();
            if (control.pending(progress.state())) {
                return;
            }
            awaitCommit(position, woken);
            return;
        }
        Batch batch = new Batch(store, events, eventMapper);
        ViewSession session = new ViewSession(container);
        try {
            inPlugin(() -> projection.apply(batch, session));
        } catch (Exception | LinkageError | AssertionError e) {
            long at = e instanceof EventDecodeException decode ? decode.position() : batch.currentPosition();
            throw new RunnerFailures.AttemptFailure("projection '" + name + "' failed applying the event at position " + at
                    + " (version " + (at == batch.currentPosition() ? batch.currentVersion() : "?") + "): "
                    + RunnerFailures.describe(e), at, e);
        }
        List<ViewChange> changes = session.changes();
        long lastVersion = batch.lastVersion();
        Checkpoint next = commit.checkpoint(events.next(), lastVersion, incarnation, epoch);
        long commitNanos = commit.commit(container, changes, next, events.from());
        progress.committed(events.size(), batch.skippedCount(), events.next(), lastVersion);
        listener.batchCommitted(name, events.size(), events.bytes(), commitNanos);
    }

    /** Waits for a commit of the store after {@code position}, or a control signal, then shows the head. */
    private void awaitCommit(long position, CompletableFuture<Void> woken) {
        CompletableFuture<CommitPointer> next = source.commitAfter(position, COMMIT_WAIT);
        RunnerControl.awaitAny(next, woken, COMMIT_WAIT.toNanos() + TimeUnit.SECONDS.toNanos(1));
        if (next.isDone() && !next.isCompletedExceptionally()) {
            progress.seeHead(next.join());
        } else {
            next.cancel(false);
        }
    }

    /**
     * Deletes every view and the checkpoint ({@link ViewStore#dropContainer}: after a crash the
     * container is whole or gone, never half), then starts the container anew at position 0 with the
     * store's incarnation now, and this runner's epoch (taken first if not yet: the fence must
     * outlive the drop).
     */
    private void reset(String why) {
        progress.state(ProjectionState.REBUILDING);
        LOG.info("projection '{}': resetting container '{}' ({})", name, containerName, why);
        closeSource();
        source = readers.open(null); // whatever the store's incarnation now: the views start anew with it
        incarnation = source.incarnation();
        if (epoch < 0) {
            control.checkStop();
            epoch = views.container(containerName).beginEpoch().epoch();
        }
        container = null;
        resetPending = true;
        views.dropContainer(containerName);
        container = views.container(containerName);
        container.commit(List.of(), commit.checkpoint(0, 0, incarnation, epoch));
        resetPending = false;
        progress.resumeAt(0, 0);
        progress.head(source.commitPointer());
        progress.clearError();
        try {
            inPlugin(() -> {
                projection.stop();
                projection.start(config);
            });
        } catch (Exception | LinkageError e) {
            throw new RunnerFailures.Fatal("projection '" + name + "' failed to start again after its reset: "
                    + RunnerFailures.describe(e), 0, e);
        }
    }

    /** Closes the container so that opening it again applies (or drops) what a failed commit left. */
    private void releaseContainer() {
        container = null;
        closeSource(); // the next turn opens both again and reads the checkpoint afresh
        try {
            views.releaseContainer(containerName);
        } catch (RuntimeException e) {
            LOG.warn("projection '{}': releasing container '{}' after a failed commit: {}", name, containerName, e.toString());
        }
    }

    private void waitWhilePaused() {
        CompletableFuture<Void> woken = control.wakeFuture();
        if (control.pending(progress.state()) || !control.paused()) {
            return;
        }
        awaitCommit(progress.head().position(), woken); // keeps the head (and so the lag) fresh while paused
    }

    /** A call into the projection. */
    @FunctionalInterface
    private interface PluginCall {
        void run() throws Exception;
    }

    /**
     * Runs a call into the projection with the plugin's class loader as the thread's context class
     * loader, and only then: threads the framework starts from the runner's thread (commit waits,
     * watchers, flushers) must not inherit the plugin's loader and keep it alive.
     */
    private void inPlugin(PluginCall call) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            call.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    void closeSource() {
        if (source != null) {
            try {
                source.close();
            } catch (RuntimeException e) {
                LOG.debug("projection '{}': closing the store source failed: {}", name, e.toString());
            }
            source = null;
        }
    }
}
