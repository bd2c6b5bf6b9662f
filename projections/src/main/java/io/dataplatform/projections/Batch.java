package io.dataplatform.projections;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.StoreId;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Consecutive events of one store, in store order, as handed to {@link Projection#apply}: at most
 * the projection's {@code batch.max.events} events and about {@code batch.max.bytes} bytes (one
 * event at least, however large). Iterate it, or index it with {@link #get}. Valid only during
 * {@code apply}: the runner reuses the buffer underneath. Not thread-safe.
 *
 * <p>The batch remembers the last event handed out, so that a projection that throws is reported
 * FAILED with the position of the event it was handling.
 */
public final class Batch implements Iterable<BatchEvent> {

    private final StoreId store;
    private final EventBatch events;
    private final ObjectMapper mapper;
    private int current = -1;
    private int skipped;

    /** Over {@code events}, decoding event data with a mapper of {@link #newMapper()}'s kind. */
    Batch(StoreId store, EventBatch events, ObjectMapper mapper) {
        this.store = store;
        this.events = events;
        this.mapper = mapper;
    }

    /**
     * The framework's JSON mapper for event data (unknown properties are ignored), one per runner:
     * it caches the plugin's classes it decodes into, so it lives and dies with the runner, and has a
     * type cache of its own (not Jackson's JVM-wide one), so that a plugin's class loader can be
     * collected once its worker is closed, whatever other workers in the JVM do.
     */
    static ObjectMapper newMapper() {
        return new ObjectMapper().setTypeFactory(TypeFactory.createDefaultInstance())
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /** The mapper {@link BatchEvent#json(Class)} decodes with. */
    ObjectMapper mapper() {
        return mapper;
    }

    /** The store these events come from. */
    public StoreId store() {
        return store;
    }

    public int size() {
        return events.size();
    }

    /** Position of the first event. */
    public long from() {
        return events.from();
    }

    /** The position after the last event: the checkpoint committed with this batch's views. */
    public long next() {
        return events.next();
    }

    /** Bytes of records in this batch. */
    public int bytes() {
        return events.bytes();
    }

    /** The event at {@code index} (0 to {@code size() - 1}). */
    public BatchEvent get(int index) {
        if (index < 0 || index >= events.size()) {
            throw new IndexOutOfBoundsException("event " + index + " of a batch of " + events.size());
        }
        current = index;
        return new BatchEvent(this, events, index);
    }

    @Override
    public Iterator<BatchEvent> iterator() {
        return new Iterator<>() {
            private int index;

            @Override
            public boolean hasNext() {
                return index < events.size();
            }

            @Override
            public BatchEvent next() {
                if (index >= events.size()) {
                    throw new NoSuchElementException();
                }
                return get(index++);
            }
        };
    }

    /** The store version of the last event. */
    long lastVersion() {
        return events.version(events.size() - 1);
    }

    /** The position of the event handed out last (the first one before any), for error reports. */
    long currentPosition() {
        return events.position(Math.max(current, 0));
    }

    /** The version of the event handed out last (the first one before any). */
    long currentVersion() {
        return events.version(Math.max(current, 0));
    }

    void skipped(int index) {
        skipped++;
    }

    /** Events the projection skipped as not understood. */
    int skippedCount() {
        return skipped;
    }

    /** Forgets what a failed attempt handed out, before the batch is applied again. */
    void rewind() {
        current = -1;
        skipped = 0;
    }

    @Override
    public String toString() {
        return "Batch[" + store + ", " + size() + " events, " + from() + ".." + next() + "]";
    }
}
