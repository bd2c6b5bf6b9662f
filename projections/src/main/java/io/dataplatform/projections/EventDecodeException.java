package io.dataplatform.projections;

/**
 * An event's data could not be decoded as the type a projection asked for. Names the store
 * position and the stream, so that a FAILED projection says which event it could not read.
 */
public final class EventDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long position;

    public EventDecodeException(long position, String streamId, String type, Throwable cause) {
        super("event at position " + position + " (stream '" + streamId + "') is not a " + type + ": "
                + cause.getMessage(), cause);
        this.position = position;
    }

    /** Where the event's record starts in the store. */
    public long position() {
        return position;
    }
}
