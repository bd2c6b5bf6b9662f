package io.dataplatform.projections;

/** Where a projection is in its life, as {@code GET /projections/{name}/status} reports it. */
public enum ProjectionState {
    /** Starting the projection, opening the store and reading the checkpoint. */
    STARTING,
    /** Applying batches, or caught up and waiting for the next commit. */
    RUNNING,
    /** Paused through the REST API: reads nothing until resumed. */
    PAUSED,
    /** Resetting its views and checkpoint before replaying the store from the start. */
    REBUILDING,
    /** Stopped by an error past the retry limit (or a recreated store); see the error. Restart to retry. */
    FAILED,
    /** Stopped (deleted, or the worker is shutting down). */
    STOPPED
}
