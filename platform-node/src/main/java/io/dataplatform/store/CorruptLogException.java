package io.dataplatform.store;

/**
 * Bytes inside the committed part of a log that do not verify: a checksum mismatch, an impossible
 * length, a version out of sequence. Names the store, the chunk file and the position; damaged
 * bytes are never returned as events.
 */
public final class CorruptLogException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final String chunk;
    private final long position;

    public CorruptLogException(String store, String chunk, long position, String problem) {
        super(store, "store '" + store + "' chunk " + chunk + " position " + position + ": " + problem);
        this.chunk = chunk;
        this.position = position;
    }

    public String chunk() {
        return chunk;
    }

    public long position() {
        return position;
    }
}
