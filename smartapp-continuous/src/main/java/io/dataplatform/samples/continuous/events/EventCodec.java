package io.dataplatform.samples.continuous.events;

/**
 * Encodes dump events to the bytes of store events and back. Two forms exist so that they can be
 * measured against each other ({@code bench-codec}); the store holds the {@link #binary()} form
 * (docs/samples.md gives the layout and the measurements). Implementations are not thread-safe
 * (they reuse a buffer): one per thread.
 */
public interface EventCodec {

    /** Encodes {@code event}; the bytes are {@link #array()} from 0 for the returned length, valid until the next call. */
    int encode(DumpEvent event);

    /** The array the last {@link #encode} wrote. */
    byte[] array();

    /** Decodes the data of an event of {@code stream} ({@code users}, {@code posts}, {@code comments}). */
    DumpEvent decode(String stream, byte[] data);

    /** The compact binary form the store holds. */
    static EventCodec binary() {
        return new BinaryEventCodec();
    }

    /** JSON objects with the rows' attribute names (for comparison). */
    static EventCodec json() {
        return new JsonEventCodec();
    }
}
