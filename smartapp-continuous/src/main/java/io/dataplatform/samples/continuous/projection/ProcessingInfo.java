package io.dataplatform.samples.continuous.projection;

/**
 * View {@value #KEY} of every sample-3 and sample-2 container: where the projection is and how
 * much it has done, for the web UI. A mutable Jackson bean.
 */
public final class ProcessingInfo {
    public static final String KEY = "status";

    /** The projection's name. */
    public String projection;
    /** Store position after the last event applied (the checkpoint committed with this view). */
    public long position;
    /** Store version of the last event applied. */
    public long version;
    /** Events applied, every kind counted. */
    public long events;
    /** Batches applied. */
    public long batches;
    /** When the last batch was applied, ISO-8601 UTC. */
    public String lastUpdate;
    /** Commit time of the last event applied, ISO-8601 UTC. */
    public String lastEventTime;
}
