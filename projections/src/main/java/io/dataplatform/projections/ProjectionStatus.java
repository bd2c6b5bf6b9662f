package io.dataplatform.projections;

/**
 * A projection's progress at one moment.
 *
 * @param name the projection
 * @param state its state
 * @param checkpoint the position applied and committed (the next event to read)
 * @param checkpointVersion store version of the last event applied (0 before any)
 * @param headPosition the store's commit pointer as last seen
 * @param headVersion the store version at that commit pointer
 * @param eventsApplied events applied since this runner started
 * @param eventsSkipped events the projection skipped as not understood, since this runner started
 * @param eventsPerSecond events applied per second over the last seconds
 * @param error the last error (null when none): its message, with the event's position
 * @param errorPosition the position of the event being applied when the error happened, or -1
 */
public record ProjectionStatus(String name, ProjectionState state, long checkpoint, long checkpointVersion,
                               long headPosition, long headVersion, long eventsApplied, long eventsSkipped,
                               double eventsPerSecond, String error, long errorPosition) {

    /** Events committed to the store but not yet applied. */
    public long lagEvents() {
        return Math.max(0, headVersion - checkpointVersion);
    }

    /** Bytes of records committed to the store but not yet applied. */
    public long lagBytes() {
        return Math.max(0, headPosition - checkpoint);
    }
}
