package io.dataplatform.projections;

import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.views.ViewContainer;
import io.dataplatform.views.ViewStore;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one projection on a thread of its own: reads its checkpoint, then reads the store in batches
 * from there, hands each batch to {@link Projection#apply} with a fresh {@link ViewSession}, and
 * commits every changed view together with the new checkpoint in one atomic
 * {@link ViewContainer#commit}. Caught up, it waits for the next commit of the store
 * ({@link StoreReader#commitAfter}), never a fixed sleep. A failing batch is retried with doubling
 * pauses; past the limit the projection is {@link ProjectionState#FAILED} with the error and the
 * position of the event. A checkpoint from another incarnation of the store stops it FAILED (or,
 * if configured, rebuilds it).
 *
 * <p>Commits are fenced: on starting, the runner takes its container over with a new writer epoch
 * ({@link ViewContainer#beginEpoch}) and every checkpoint it commits carries that epoch, so a
 * runner of the same container given up while still running (one that took longer than
 * {@link #close(Duration)} waited) can never commit again: it ends STOPPED, its batch not committed.
 *
 * <p>The parts: {@link RunLoop} (the read/wait loop, on the runner's thread), {@link BatchCommit}
 * (the commit step), {@link BatchRetries} (failure and retry policy), {@link RunnerControl}
 * (control signals) and {@link RunnerProgress} (what the status shows).
 *
 * <p>Owns the view container's checkpoint (the container must be written by this runner only) and
 * its thread. Control methods ({@link #pause}, {@link #resume}, {@link #rebuild}, {@link #close})
 * and {@link #status} are thread-safe; the projection itself is only ever called from the runner's
 * thread, with the plugin's class loader as the thread's context class loader.
 */
public final class ProjectionRunner implements AutoCloseable {

    /** Told of every committed batch (from the runner's thread): metrics hang here. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (name, events, bytes, commitNanos) -> { };

        void batchCommitted(String name, int events, long bytes, long commitNanos);
    }

    /** How long {@link #close()} waits for the runner's thread. */
    public static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);

    private final String name;
    private final RunnerControl control = new RunnerControl();
    private final RunnerProgress progress;
    private final RunLoop loop;
    private final Thread thread;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    /**
     * @param name the projection's name (thread name, logs, status)
     * @param projection a fresh instance, not started
     * @param config its validated configuration
     * @param store the store it reads
     * @param readers opens the store's reader (again after a failure), for the checkpoint's incarnation
     * @param views the view store holding its container
     * @param containerName the container it owns
     * @param loader the plugin's class loader, the runner thread's context class loader while the projection is called
     */
    public ProjectionRunner(String name, Projection projection, ProjectionConfig config, RunnerSettings settings,
            StoreId store, StoreReaders readers, ViewStore views, String containerName, ClassLoader loader,
            Listener listener) {
        this.name = Objects.requireNonNull(name, "name");
        this.progress = new RunnerProgress(name);
        this.loop = new RunLoop(name, Objects.requireNonNull(projection, "projection"),
                Objects.requireNonNull(config, "config"), Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(store, "store"), Objects.requireNonNull(readers, "readers"),
                Objects.requireNonNull(views, "views"), Objects.requireNonNull(containerName, "containerName"),
                loader == null ? Projection.class.getClassLoader() : loader, listener == null ? Listener.NONE : listener,
                control, progress);
        this.thread = new Thread(this::run, "projection-" + name);
    }

    /** Starts the runner's thread; {@code paused} starts it paused (a paused projection the worker resumes later). */
    public ProjectionRunner start(boolean startPaused) {
        return start(startPaused, false);
    }

    /**
     * Starts the runner; with {@code rebuildFirst} it resets the container and replays the store
     * before it reads its checkpoint (how a projection FAILED on a recreated store is rebuilt).
     */
    public ProjectionRunner start(boolean startPaused, boolean rebuildFirst) {
        control.paused(startPaused);
        control.rebuildRequested(rebuildFirst);
        thread.start();
        return this;
    }

    public String name() {
        return name;
    }

    /** Stops reading after the current batch; the projection keeps its state and is not stopped. */
    public void pause() {
        control.paused(true);
    }

    public void resume() {
        control.paused(false);
    }

    public boolean isPaused() {
        return control.paused();
    }

    /**
     * Deletes the container (every view and the checkpoint), then replays the store from the start.
     * Crash-safe: a crash leaves the container whole (the projection resumes from its checkpoint; ask
     * again) or gone (it replays). Readers see the views grow again from nothing while it replays.
     */
    public void rebuild() {
        control.requestRebuild();
    }

    /** Completes when the runner's thread has ended (stopped or FAILED). */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    public ProjectionStatus status() {
        return progress.status();
    }

    /** Stops after the batch being applied (committing it) and waits up to {@link #STOP_TIMEOUT} for the thread to end. */
    @Override
    public void close() {
        close(STOP_TIMEOUT);
    }

    /**
     * Stops after the batch being applied (committing it) and waits up to {@code timeout} for the
     * thread to end. Returns whether it ended. A runner still running then is given up: it stops as
     * soon as it can, and once another runner has taken its container over, none of its commits is
     * accepted any more.
     */
    public boolean close(Duration timeout) {
        control.stop();
        if (Thread.currentThread() != thread && thread.isAlive()) {
            try {
                thread.join(Math.max(1, timeout.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return !thread.isAlive();
    }

    private void run() {
        try {
            loop.run();
        } finally {
            stopped.complete(null);
        }
    }
}
