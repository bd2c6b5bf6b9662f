package io.dataplatform.projections;

import java.util.List;

/**
 * A projection: code that reads one store in order, in batches, and keeps views up to date. The
 * runner calls {@link #start} once, then {@link #apply} for every batch of events in store order,
 * then {@link #stop}; it commits every view {@code apply} changed together with the new checkpoint,
 * atomically, after each batch. Batching is the framework's job: a projection sees a batch and a
 * {@link ViewSession} and never deals with checkpoints.
 *
 * <p>Guarantees: views are exactly-once with respect to the store. A batch whose {@code apply}
 * throws is retried from scratch (its session is discarded, nothing of it is committed), so
 * {@code apply} must keep its state in views, not in fields. Side effects outside views (an e-mail,
 * a call to another service) are at-least-once: after a crash the batch is applied again.
 *
 * <p>Plugins implement this interface with a public no-argument constructor and list the class in
 * {@code META-INF/services/io.dataplatform.projections.Projection}. One instance serves one running
 * projection, called from one thread at a time.
 */
public interface Projection {

    /**
     * The configuration keys this projection reads, beyond the framework's ({@link ConfigKey}); the
     * worker validates a configuration against them before running it. Called on a fresh instance
     * that was not started.
     */
    default List<ConfigKey> configKeys() {
        return List.of();
    }

    /** Called once before the first batch, with the validated configuration. */
    default void start(ProjectionConfig config) throws Exception {
    }

    /**
     * Applies one batch of events (at least one), in store order, to views read and written
     * through {@code views}. The batch and its events are valid only during the call.
     *
     * @throws Exception to have the batch retried with backoff; past the retry limit the projection
     *     is FAILED with the error and the position of the event being handled
     */
    void apply(Batch batch, ViewSession views) throws Exception;

    /** Called once when the projection stops (paused projections are not stopped). */
    default void stop() {
    }
}
