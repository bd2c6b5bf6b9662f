package io.dataplatform.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Consecutive committed records read from one store, verified, with the position to continue
 * from. Events are read by index without allocating ({@link #version(int)}, {@link #data(int)} as
 * a buffer slice, ...), or materialized one by one ({@link #get(int)}, iteration).
 *
 * <p>A reader reuses its batch: a batch is valid until the next read on the reader that
 * returned it. Copy what must outlive it. Not thread-safe.
 */
public final class EventBatch implements Iterable<Event> {

    private ByteBuffer records;
    private int[] offsets = new int[256];
    private int size;
    private long basePosition;
    private long next;

    public EventBatch() {
        reset(ByteBuffer.allocate(0), 0);
    }

    /**
     * Points this batch at {@code records} (from index 0) whose first byte sits at store position
     * {@code basePosition}, with no events yet. For {@link StoreReader} implementations.
     */
    public void reset(ByteBuffer records, long basePosition) {
        this.records = records;
        this.basePosition = basePosition;
        this.next = basePosition;
        this.size = 0;
    }

    /** Makes this batch empty, at {@code position}. For {@link StoreReader} implementations. */
    public void resetEmpty(long position) {
        reset(records, position);
    }

    /** Adds the record at {@code offset} of the buffer, once verified. For {@link StoreReader} implementations. */
    public void add(int offset) {
        if (size == offsets.length) {
            offsets = Arrays.copyOf(offsets, size * 2);
        }
        offsets[size++] = offset;
        next = basePosition + offset + RecordFormat.PREFIX_SIZE + RecordFormat.length(records, offset);
    }

    /** Number of events in this batch; 0 when the reader is caught up with the commit pointer. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Where this batch starts. */
    public long from() {
        return basePosition;
    }

    /** The position after the last event of this batch: where the next read continues. */
    public long next() {
        return next;
    }

    /** Bytes of records in this batch. */
    public int bytes() {
        return (int) (next - basePosition);
    }

    /**
     * The records of this batch exactly as stored (docs/storage-format.md), read-only; the node
     * sends them as they are to remote readers.
     */
    public ByteBuffer rawRecords() {
        ByteBuffer view = records.duplicate();
        view.position(0).limit(bytes());
        return view.slice().asReadOnlyBuffer();
    }

    public long position(int index) {
        return basePosition + offset(index);
    }

    public long next(int index) {
        int offset = offset(index);
        return basePosition + offset + RecordFormat.PREFIX_SIZE + RecordFormat.length(records, offset);
    }

    public long version(int index) {
        return RecordFormat.version(records, offset(index));
    }

    public long timestamp(int index) {
        return RecordFormat.timestamp(records, offset(index));
    }

    public String streamId(int index) {
        int offset = offset(index);
        int length = RecordFormat.streamIdLength(records, offset);
        byte[] bytes = new byte[length];
        records.get(offset + RecordFormat.HEADER_SIZE, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public int dataLength(int index) {
        int offset = offset(index);
        return RecordFormat.length(records, offset) + RecordFormat.PREFIX_SIZE - RecordFormat.HEADER_SIZE
                - RecordFormat.streamIdLength(records, offset);
    }

    /** The event's data as a read-only slice of this batch's buffer (valid with the batch). */
    public ByteBuffer dataBuffer(int index) {
        int offset = offset(index);
        int start = offset + RecordFormat.HEADER_SIZE + RecordFormat.streamIdLength(records, offset);
        return records.slice(start, dataLength(index)).asReadOnlyBuffer();
    }

    /** A copy of the event's data. */
    public byte[] data(int index) {
        int offset = offset(index);
        byte[] data = new byte[dataLength(index)];
        records.get(offset + RecordFormat.HEADER_SIZE + RecordFormat.streamIdLength(records, offset), data);
        return data;
    }

    /** The event at {@code index}, copied out of the batch. */
    public Event get(int index) {
        return new Event(position(index), next(index), version(index), timestamp(index), streamId(index), data(index));
    }

    private int offset(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("event " + index + " of a batch of " + size);
        }
        return offsets[index];
    }

    @Override
    public Iterator<Event> iterator() {
        return new Iterator<>() {
            private int index;

            @Override
            public boolean hasNext() {
                return index < size;
            }

            @Override
            public Event next() {
                if (index >= size) {
                    throw new NoSuchElementException();
                }
                return get(index++);
            }
        };
    }

    @Override
    public String toString() {
        return "EventBatch[" + size + " events, " + basePosition + ".." + next + "]";
    }
}
