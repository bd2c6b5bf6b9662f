package io.dataplatform.projections;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataplatform.store.EventBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One event of a {@link Batch}: its position in the store, the position after it ({@link #next}),
 * its store version, commit time, stream id and data. A light view over the batch's buffer: fields
 * are read when asked, nothing is copied unless a method says so. Valid only during
 * {@link Projection#apply}; copy what must outlive it. Not thread-safe.
 */
public final class BatchEvent {

    private final Batch batch;
    private final EventBatch events;
    private final int index;

    BatchEvent(Batch batch, EventBatch events, int index) {
        this.batch = batch;
        this.events = events;
        this.index = index;
    }

    /** Where this event's record starts in the store. */
    public long position() {
        return events.position(index);
    }

    /** The position after this event: a checkpoint that covers it. */
    public long next() {
        return events.next(index);
    }

    /** The store version the node gave this event (1 for a store's first event). */
    public long version() {
        return events.version(index);
    }

    /** When the node committed it, in milliseconds since the epoch. */
    public long timestamp() {
        return events.timestamp(index);
    }

    public String streamId() {
        return events.streamId(index);
    }

    /** Size of the data in bytes, without reading it. */
    public int dataLength() {
        return events.dataLength(index);
    }

    /** A copy of the data. */
    public byte[] data() {
        return events.data(index);
    }

    /** The data as a read-only slice of the batch's buffer (no copy; valid during {@code apply}). */
    public ByteBuffer dataBuffer() {
        return events.dataBuffer(index);
    }

    /** The data decoded as UTF-8. */
    public String dataAsString() {
        return new String(data(), StandardCharsets.UTF_8);
    }

    /**
     * The data read as JSON into {@code type} with the framework's mapper (unknown properties are
     * ignored).
     *
     * @throws EventDecodeException naming this event if the data is not such JSON
     */
    public <T> T json(Class<T> type) {
        return json(batch.mapper(), type);
    }

    /** {@link #json(Class)} with a mapper of the projection's own. */
    public <T> T json(ObjectMapper mapper, Class<T> type) {
        try {
            return mapper.readValue(data(), type);
        } catch (IOException e) {
            throw new EventDecodeException(position(), streamId(), type.getSimpleName(), e);
        }
    }

    /**
     * The data read as JSON into {@code type}, or null when it is not such JSON: for projections
     * that skip events they do not understand. Each skip is counted in the projection's status.
     */
    public <T> T jsonOrSkip(Class<T> type) {
        try {
            return batch.mapper().readValue(data(), type);
        } catch (IOException e) {
            skip();
            return null;
        }
    }

    /** Counts this event as skipped (not understood) in the projection's status and metrics. */
    public void skip() {
        batch.skipped(index);
    }

    @Override
    public String toString() {
        return "event at position " + position() + " (stream '" + streamId() + "', version " + version() + ")";
    }
}
