package io.dataplatform.store;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An event to append: a stream id and opaque bytes. The node stamps it with its store version
 * and time when it commits. The stream id is 1–255 bytes of UTF-8; the data limit is the
 * engine's (see {@link EngineOptions#maxEventSize()}). Immutable as long as the caller does not
 * modify the array it handed over.
 */
public final class NewEvent {

    public static final int MAX_STREAM_ID_BYTES = 255;

    private final String streamId;
    private final byte[] streamIdBytes;
    private final byte[] data;

    public NewEvent(String streamId, byte[] data) {
        this.streamId = Objects.requireNonNull(streamId, "streamId");
        this.streamIdBytes = encodeStreamId(streamId);
        this.data = Objects.requireNonNull(data, "data");
    }

    private NewEvent(NewEvent sameStream, byte[] data) {
        this.streamId = sameStream.streamId;
        this.streamIdBytes = sameStream.streamIdBytes;
        this.data = Objects.requireNonNull(data, "data");
    }

    /** An event of the same stream as this one, with other data (skips validating the stream id again). */
    public NewEvent withData(byte[] data) {
        return new NewEvent(this, data);
    }

    public static NewEvent of(String streamId, String utf8Data) {
        return new NewEvent(streamId, utf8Data.getBytes(StandardCharsets.UTF_8));
    }

    /** Encodes and validates a stream id; throws {@link InvalidInputException} naming the rule. */
    public static byte[] encodeStreamId(String streamId) {
        if (streamId == null || streamId.isEmpty()) {
            throw new InvalidInputException(null, "a stream id has 1 to 255 bytes of UTF-8; it is empty");
        }
        for (int i = 0; i < streamId.length(); i++) {
            char c = streamId.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < streamId.length()
                    && Character.isLowSurrogate(streamId.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidInputException(null, "a stream id is valid UTF-8; it holds an unpaired surrogate at index " + i);
            }
        }
        byte[] bytes = streamId.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_STREAM_ID_BYTES) {
            throw new InvalidInputException(null, "a stream id has 1 to 255 bytes of UTF-8; this one has " + bytes.length);
        }
        return bytes;
    }

    public String streamId() {
        return streamId;
    }

    /** The stream id in UTF-8; do not modify. */
    public byte[] streamIdBytes() {
        return streamIdBytes;
    }

    /** The event data; do not modify. */
    public byte[] data() {
        return data;
    }

    /** Size of this event's record in the log. */
    public int recordSize() {
        return RecordFormat.recordSize(streamIdBytes.length, data.length);
    }
}
