package io.dataplatform.samples.continuous.projection;

import io.dataplatform.client.NodeCredentials;
import io.dataplatform.projections.FrameworkKeys;
import io.dataplatform.projections.Projection;
import io.dataplatform.projections.ProjectionConfig;
import io.dataplatform.projections.ProjectionRunner;
import io.dataplatform.projections.ProjectionState;
import io.dataplatform.projections.ProjectionStatus;
import io.dataplatform.projections.RunnerSettings;
import io.dataplatform.projections.StoreReaders;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.StoreReader;
import io.dataplatform.views.ViewStore;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Projections run in this process by the projection framework's runner, one thread each, over a
 * store read directly from its files (or over HTTP when no storage location is given), with
 * their views in one view store. Owns the runners (closed by {@link #close}); the view store
 * belongs to the caller. Thread-safe.
 */
public final class InProcessProjections implements AutoCloseable {
    private final StoreId store;
    private final String location;
    private final URI node;
    private final List<ProjectionRunner> runners = new ArrayList<>();

    public InProcessProjections(StoreId store, String location, URI node) {
        this.store = store;
        this.location = location;
        this.node = node;
    }

    /** Starts {@code projection} under {@code name}, its views in container {@code container} of {@code views}. */
    public ProjectionRunner start(String name, Projection projection, String container, ViewStore views,
            RunnerSettings settings, ProjectionRunner.Listener listener) {
        ProjectionConfig config = ProjectionConfig.of(name, Map.of(
                FrameworkKeys.PROJECTION_CLASS, projection.getClass().getName(),
                FrameworkKeys.STORE, store.value(),
                FrameworkKeys.STORE_LOCATION, location == null ? "" : location,
                FrameworkKeys.NODE, node == null ? "" : node.toString(),
                FrameworkKeys.VIEWS_CONTAINER, container));
        StoreReaders readers = location != null
                ? StoreReaders.direct(location, store)
                : StoreReaders.remote(node, store, NodeCredentials.NONE);
        ProjectionRunner runner = new ProjectionRunner(name, projection, config, settings, store, readers, views,
                container, projection.getClass().getClassLoader(), listener);
        synchronized (runners) {
            runners.add(runner);
        }
        return runner.start(false);
    }

    public List<ProjectionStatus> statuses() {
        synchronized (runners) {
            return runners.stream().map(ProjectionRunner::status).toList();
        }
    }

    /** The store's commit pointer as it is now (empty while the store does not exist). */
    public CommitPointer head() {
        StoreReaders readers = location != null
                ? StoreReaders.direct(location, store)
                : StoreReaders.remote(node, store, NodeCredentials.NONE);
        try (StoreReader reader = readers.open(null)) {
            return reader.commitPointer();
        } catch (StoreNotFoundException e) {
            return CommitPointer.EMPTY;
        }
    }

    /**
     * Waits until every projection has applied the store up to its commit pointer as read when
     * the wait began (or one FAILED), printing nothing; returns whether all caught up.
     */
    public boolean awaitCaughtUp(Duration timeout, Runnable onTick) throws InterruptedException {
        long target = head().position();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            boolean all = true;
            for (ProjectionStatus status : statuses()) {
                if (status.state() == ProjectionState.FAILED) {
                    return false;
                }
                all &= status.checkpoint() >= target;
            }
            if (all) {
                return true;
            }
            onTick.run();
            Thread.sleep(100); // polling our own runners' in-memory status, not the store
        }
        return false;
    }

    @Override
    public void close() {
        List<ProjectionRunner> copy;
        synchronized (runners) {
            copy = List.copyOf(runners);
        }
        for (ProjectionRunner runner : copy) {
            runner.close();
        }
    }
}
