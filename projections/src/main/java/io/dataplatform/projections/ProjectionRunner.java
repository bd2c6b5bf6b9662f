package io.dataplatform.projections;

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
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

    static final String META_STORE = "store";
    static final String META_INCARNATION = "incarnation";
    static final String META_VERSION = "version";

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class);
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
    private final ClassLoader loader;
    private final Listener listener;
    private final Thread thread;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final EventRate rate = new EventRate();

    private final Object wakeLock = new Object();
    private CompletableFuture<Void> wake = new CompletableFuture<>();
    private volatile boolean stopping;
    private volatile boolean paused;
    private volatile boolean rebuildRequested;

    // written by the runner's thread only
    private StoreReader source;
    private ViewContainer container;
    private String incarnation;
    private volatile ProjectionState state = ProjectionState.STARTING;
    private volatile long position;
    private volatile long version;
    private volatile CommitPointer head = CommitPointer.EMPTY;
    private volatile long applied;
    private volatile long skipped;
    private volatile String error;
    private volatile long errorPosition = -1;

    /**
     * @param name the projection's name (thread name, logs, status)
     * @param projection a fresh instance, not started
     * @param config its validated configuration
     * @param store the store it reads
     * @param readers opens the store's reader (again after a failure), for the checkpoint's incarnation
     * @param views the view store holding its container
     * @param containerName the container it owns
     * @param loader the plugin's class loader, the context class loader of the runner's thread
     */
    public ProjectionRunner(String name, Projection projection, ProjectionConfig config, RunnerSettings settings,
            StoreId store, StoreReaders readers, ViewStore views, String containerName, ClassLoader loader,
            Listener listener) {
        this.name = Objects.requireNonNull(name, "name");
        this.projection = Objects.requireNonNull(projection, "projection");
        this.config = Objects.requireNonNull(config, "config");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.store = Objects.requireNonNull(store, "store");
        this.readers = Objects.requireNonNull(readers, "readers");
        this.views = Objects.requireNonNull(views, "views");
        this.containerName = Objects.requireNonNull(containerName, "containerName");
        this.loader = loader == null ? Projection.class.getClassLoader() : loader;
        this.listener = listener == null ? Listener.NONE : listener;
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
        this.paused = startPaused;
        this.rebuildRequested = rebuildFirst;
        thread.start();
        return this;
    }

    public String name() {
        return name;
    }

    /** Stops reading after the current batch; the projection keeps its state and is not stopped. */
    public void pause() {
        paused = true;
        signal();
    }

    public void resume() {
        paused = false;
        signal();
    }

    public boolean isPaused() {
        return paused;
    }

    /**
     * Deletes the container (every view and the checkpoint), then replays the store from the start.
     * Crash-safe: a crash leaves the container whole (the projection resumes from its checkpoint; ask
     * again) or gone (it replays). Readers see the views grow again from nothing while it replays.
     */
    public void rebuild() {
        rebuildRequested = true;
        signal();
    }

    /** Completes when the runner's thread has ended (stopped or FAILED). */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    public ProjectionStatus status() {
        return new ProjectionStatus(name, state, position, version, head.position(), head.version(), applied, skipped,
                rate.perSecond(System.nanoTime()), error, errorPosition);
    }

    /** Stops after the batch being applied (committing it) and waits for the thread to end. */
    @Override
    public void close() {
        stopping = true;
        signal();
        if (Thread.currentThread() != thread && thread.isAlive()) {
            try {
                thread.join(TimeUnit.MINUTES.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- the runner's thread ----

    /** Thrown on the runner's thread to leave the loop when asked to stop. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super(null, null, false, false);
        }
    }

    /** Ends the run FAILED, without retries. */
    private static final class Fatal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long position;

        Fatal(String message, long position, Throwable cause) {
            super(message, cause);
            this.position = position;
        }
    }

    /** A failure of one attempt at a batch, with the position of the event concerned. */
    private static class AttemptFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long position;

        AttemptFailure(String message, long position, Throwable cause) {
            super(message, cause);
            this.position = position;
        }
    }

    /** A view commit that failed: whether it took effect is known once the container is reopened. */
    private static final class CommitFailure extends AttemptFailure {
        private static final long serialVersionUID = 1L;

        CommitFailure(String message, long position, Throwable cause) {
            super(message, position, cause);
        }
    }

    private void run() {
        Thread.currentThread().setContextClassLoader(loader);
        boolean started = false;
        try {
            try {
                projection.start(config);
            } catch (Exception | LinkageError e) {
                throw new Fatal("projection '" + name + "' failed to start: " + describe(e), -1, e);
            }
            started = true;
            loop();
        } catch (Stop e) {
            // asked to stop
        } catch (Fatal e) {
            fail(e.getMessage(), e.position, e.getCause());
        } catch (RuntimeException | Error e) {
            fail("projection '" + name + "' stopped: " + describe(e), position, e);
        } finally {
            if (started) {
                try {
                    projection.stop();
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn("projection '{}' failed to stop cleanly: {}", name, e.toString());
                }
            }
            closeSource();
            if (state != ProjectionState.FAILED) {
                state = ProjectionState.STOPPED;
            }
            stopped.complete(null);
        }
    }

    private void fail(String message, long at, Throwable cause) {
        error = message;
        errorPosition = at;
        state = ProjectionState.FAILED;
        LOG.error("projection '{}' FAILED: {}", name, message, cause);
    }

    private void loop() {
        int attempts = 0;
        while (true) {
            checkStop();
            try {
                if (rebuildRequested) {
                    // before open(): a checkpoint of a recreated store must not stop a rebuild
                    reset("asked to rebuild");
                    rebuildRequested = false; // only once the reset is done: a failed one is tried again
                    continue;
                }
                if (source == null && !open()) {
                    continue;
                }
                if (paused) {
                    state = ProjectionState.PAUSED;
                    waitWhilePaused();
                    continue;
                }
                state = ProjectionState.RUNNING;
                step();
                if (attempts > 0 || error != null) { // a batch committed, or the read reached the commit pointer
                    if (attempts > 0) {
                        LOG.info("projection '{}' recovered after {} failed attempt(s)", name, attempts);
                    }
                    attempts = 0;
                    error = null;
                    errorPosition = -1;
                }
            } catch (Stop | Fatal e) {
                throw e;
            } catch (StoreRecreatedException e) {
                recreated("it was opened for incarnation " + e.expected() + " and is now incarnation " + e.actual(),
                        position);
            } catch (StoreNotFoundException e) {
                closeSource();
                error = "waiting for store '" + store + "' to exist";
                pause(STORE_ABSENT_PAUSE_NANOS);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                attempts++;
                long at = e instanceof AttemptFailure failure ? failure.position : position;
                String message = e instanceof AttemptFailure ? e.getMessage() : "projection '" + name
                        + "' failed at position " + position + ": " + describe(e);
                error = message;
                errorPosition = at;
                closeSource();
                if (e instanceof CommitFailure) {
                    releaseContainer(); // a failed commit leaves the container refusing commits until reopened
                }
                if (!settings.backoff().allowsRetry(attempts)) {
                    throw new Fatal(message + " (after " + settings.backoff().retries() + " retries)", at,
                            e instanceof AttemptFailure && e.getCause() != null ? e.getCause() : e);
                }
                long pause = settings.backoff().pauseBefore(attempts).toNanos();
                LOG.warn("projection '{}': {} (retry {} of {} in {} ms)", name, message, attempts,
                        settings.backoff().retries(), TimeUnit.NANOSECONDS.toMillis(pause));
                pause(pause);
            }
        }
    }

    /**
     * Opens the source and the container, reads the checkpoint and checks it belongs to this
     * incarnation of the store. Returns false when the store does not exist yet (after a pause).
     */
    private boolean open() {
        container = views.container(containerName);
        Checkpoint checkpoint = container.readCheckpoint();
        if (checkpoint != null) {
            String savedStore = checkpoint.metadata().get(META_STORE);
            if (savedStore != null && !savedStore.equals(store.value())) {
                throw new Fatal("view container '" + containerName + "' holds the checkpoint of store '" + savedStore
                        + "', not of '" + store + "': give this projection a container of its own", checkpoint.position(), null);
            }
        }
        String saved = checkpoint == null ? null : checkpoint.metadata().get(META_INCARNATION);
        try {
            source = readers.open(saved);
        } catch (StoreRecreatedException e) {
            recreated("its checkpoint belongs to incarnation " + e.expected() + " and the store is now incarnation "
                    + e.actual(), checkpoint.position());
            return true;
        }
        incarnation = source.incarnation();
        CommitPointer now = source.commitPointer();
        head = now;
        if (checkpoint == null) {
            position = 0;
            version = 0;
        } else {
            if (checkpoint.position() > now.position()) {
                recreated("its checkpoint (position " + checkpoint.position() + ") is past the store's commit pointer ("
                        + now.position() + ")", checkpoint.position());
                return true;
            }
            position = checkpoint.position();
            version = parseLong(checkpoint.metadata().get(META_VERSION));
        }
        LOG.info("projection '{}' reads store '{}' (incarnation {}) from position {} into container '{}'", name, store,
                incarnation, position, containerName);
        return true;
    }

    private void recreated(String why, long at) {
        String message = "store '" + store + "' was recreated (deleted and created again): " + why;
        if (settings.rebuildOnRecreate() || rebuildRequested) {
            LOG.warn("projection '{}': {}; rebuilding it", name, message);
            reset(message);
            rebuildRequested = false;
            return;
        }
        throw new Fatal(message + ". Rebuild the projection (POST /projections/" + name
                + "/rebuild) to replay the new store, or set " + FrameworkKeys.REBUILD_ON_STORE_RECREATED + "=true", at, null);
    }

    /** Reads and applies one batch, or waits for the next commit when caught up. Returns true after a batch. */
    private boolean step() {
        EventBatch events = source.read(position, settings.maxEvents(), settings.maxBytes());
        if (events.isEmpty()) {
            CompletableFuture<Void> woken = wakeFuture();
            if (controlPending()) {
                return false;
            }
            CompletableFuture<CommitPointer> commit = source.commitAfter(position, COMMIT_WAIT);
            awaitAny(commit, woken, COMMIT_WAIT.toNanos() + TimeUnit.SECONDS.toNanos(1));
            if (commit.isDone() && !commit.isCompletedExceptionally()) {
                seeHead(commit.join());
            } else {
                commit.cancel(false);
            }
            return false;
        }
        Batch batch = new Batch(store, events);
        ViewSession session = new ViewSession(container);
        try {
            projection.apply(batch, session);
        } catch (Exception | LinkageError | AssertionError e) {
            long at = e instanceof EventDecodeException decode ? decode.position() : batch.currentPosition();
            throw new AttemptFailure("projection '" + name + "' failed applying the event at position " + at
                    + " (version " + (at == batch.currentPosition() ? batch.currentVersion() : "?") + "): " + describe(e), at, e);
        }
        List<ViewChange> changes = session.changes();
        long lastVersion = batch.lastVersion();
        Checkpoint next = checkpoint(events.next(), lastVersion);
        long start = System.nanoTime();
        try {
            container.commit(changes, next);
        } catch (RuntimeException e) {
            throw new CommitFailure("projection '" + name + "' could not commit " + changes.size()
                    + " view(s) with checkpoint " + events.next() + " of container '" + containerName + "': "
                    + describe(e), events.from(), e);
        }
        long commitNanos = System.nanoTime() - start;
        position = events.next();
        version = lastVersion;
        seeHead(new CommitPointer(position, lastVersion));
        applied += events.size();
        skipped += batch.skippedCount();
        rate.add(events.size(), System.nanoTime());
        listener.batchCommitted(name, events.size(), events.bytes(), commitNanos);
        return true;
    }

    private void seeHead(CommitPointer pointer) {
        if (pointer.position() > head.position()) {
            head = pointer;
        }
    }

    private Checkpoint checkpoint(long at, long atVersion) {
        java.util.Map<String, String> metadata = new java.util.HashMap<>();
        metadata.put(META_STORE, store.value());
        metadata.put(META_VERSION, Long.toString(atVersion));
        if (incarnation != null) {
            metadata.put(META_INCARNATION, incarnation);
        }
        return new Checkpoint(at, metadata);
    }

    /**
     * Deletes every view and the checkpoint ({@link ViewStore#dropContainer}: after a crash the
     * container is whole or gone, never half), then starts the container anew at position 0 with the
     * store's incarnation now.
     */
    private void reset(String why) {
        state = ProjectionState.REBUILDING;
        LOG.info("projection '{}': resetting container '{}' ({})", name, containerName, why);
        closeSource();
        source = readers.open(null); // whatever the store's incarnation now: the views start anew with it
        incarnation = source.incarnation();
        container = null;
        views.dropContainer(containerName);
        container = views.container(containerName);
        container.commit(List.of(), checkpoint(0, 0));
        position = 0;
        version = 0;
        head = source.commitPointer();
        error = null;
        errorPosition = -1;
        try {
            projection.stop();
            projection.start(config);
        } catch (Exception | LinkageError e) {
            throw new Fatal("projection '" + name + "' failed to start again after its reset: " + describe(e), 0, e);
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
        CompletableFuture<Void> woken = wakeFuture();
        if (controlPending() || !paused) {
            return;
        }
        // keep the head (and so the lag) fresh while paused
        CompletableFuture<CommitPointer> commit = source.commitAfter(head.position(), COMMIT_WAIT);
        awaitAny(commit, woken, COMMIT_WAIT.toNanos() + TimeUnit.SECONDS.toNanos(1));
        if (commit.isDone() && !commit.isCompletedExceptionally()) {
            seeHead(commit.join());
        } else {
            commit.cancel(false);
        }
    }

    private boolean controlPending() {
        return stopping || rebuildRequested || paused && state != ProjectionState.PAUSED;
    }

    /** Waits up to {@code nanos}, or until a control method wakes the runner; throws {@link Stop} when stopping. */
    private void pause(long nanos) {
        CompletableFuture<Void> woken = wakeFuture();
        checkStop();
        awaitAny(woken, woken, nanos);
        checkStop();
    }

    private void checkStop() {
        if (stopping) {
            throw new Stop();
        }
    }

    private static void awaitAny(CompletableFuture<?> a, CompletableFuture<?> b, long nanos) {
        try {
            CompletableFuture.anyOf(a, b).get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // woken by time, or the wait failed: the next read tells
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stop();
        }
    }

    private CompletableFuture<Void> wakeFuture() {
        synchronized (wakeLock) {
            return wake;
        }
    }

    private void signal() {
        CompletableFuture<Void> woken;
        synchronized (wakeLock) {
            woken = wake;
            wake = new CompletableFuture<>();
        }
        woken.complete(null);
    }

    private void closeSource() {
        if (source != null) {
            try {
                source.close();
            } catch (RuntimeException e) {
                LOG.debug("projection '{}': closing the store source failed: {}", name, e.toString());
            }
            source = null;
        }
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + message;
    }
}
