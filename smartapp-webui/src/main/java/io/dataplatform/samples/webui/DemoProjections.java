package io.dataplatform.samples.webui;

import io.dataplatform.projections.ProjectionStatus;
import io.dataplatform.projections.RunnerSettings;
import io.dataplatform.samples.continuous.projection.CommentsByUser;
import io.dataplatform.samples.continuous.projection.CommentsByWeekday;
import io.dataplatform.samples.continuous.projection.InProcessProjections;
import io.dataplatform.samples.continuous.projection.PostsByTag;
import io.dataplatform.store.StoreId;
import io.dataplatform.views.ViewStore;

import java.net.URI;

/**
 * The three sample-3 projections of {@code smartapp-continuous}, run in the demo's JVM by the
 * projection framework (one runner thread each, reading the store's files directly), their views
 * in the UI's view store; and their runner states for the page. Owns the runners ({@link #close}).
 * Thread-safe.
 */
final class DemoProjections implements AutoCloseable {
    private final InProcessProjections running;

    DemoProjections(StoreId store, String location, URI node, ViewStore views) {
        running = new InProcessProjections(store, location, node);
        RunnerSettings settings = RunnerSettings.defaults();
        running.start(PostsByTag.NAME, new PostsByTag(), PostsByTag.NAME, views, settings, null);
        running.start(CommentsByUser.NAME, new CommentsByUser(), CommentsByUser.NAME, views, settings, null);
        running.start(CommentsByWeekday.NAME, new CommentsByWeekday(), CommentsByWeekday.NAME, views, settings, null);
    }

    /** The runner's status of {@code projection}, or null. */
    ProjectionStatus status(String projection) {
        return running.statuses().stream().filter(s -> s.name().equals(projection)).findFirst().orElse(null);
    }

    @Override
    public void close() {
        running.close();
    }
}
