package io.dataplatform.samples.continuous.dump;

/**
 * The byte array a batch's events are encoded into, front to back; a {@link RowSource} encodes
 * each event straight into it. When an event does not fit, a new array of the same capacity
 * replaces it (events already encoded keep referring to the old one). Not thread-safe.
 */
public final class EventBuffer {
    private final int capacity;
    private byte[] array;
    private int used;
    private int start;

    public EventBuffer(int capacity) {
        this.capacity = capacity;
        this.array = new byte[capacity];
    }

    /** Makes room for an event of up to {@code maxLength} bytes; returns where it starts in {@link #array()}. */
    int begin(int maxLength) {
        if (used + maxLength > array.length) {
            array = new byte[Math.max(capacity, maxLength)];
            used = 0;
        }
        start = used;
        return start;
    }

    /** Ends the event begun last at {@code end} (exclusive). */
    void end(int end) {
        used = end;
    }

    /** The array holding the last event (and those before it since the array was last replaced). */
    public byte[] array() {
        return array;
    }

    /** Where the last event starts in {@link #array()}. */
    public int lastStart() {
        return start;
    }

    /** Bytes used in the current array. */
    public int used() {
        return used;
    }

    /** Starts a fresh array for the next batch (the old one belongs to the batch handed over). */
    public void renew() {
        renew(null);
    }

    /**
     * Starts the next batch in {@code reused}, an array of a batch already appended (of this
     * buffer's capacity), or in a fresh one if null.
     */
    public void renew(byte[] reused) {
        array = reused != null && reused.length == capacity ? reused : new byte[capacity];
        used = 0;
        start = 0;
    }

    /** The capacity of this buffer's arrays. */
    public int capacity() {
        return capacity;
    }
}
