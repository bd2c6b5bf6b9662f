package io.dataplatform.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An event to append: a stream id and opaque bytes. The node stamps it with its store version
 * and time when it commits. The stream id is 1–255 bytes of UTF-8; the data limit is the
 * engine's (see {@link EngineOptions#maxEventSize()}). The data may be a slice of a larger array
 * (a request body holding many events), so that decoding a batch copies nothing. Immutable as
 * long as the caller does not modify the array it handed over.
 */
public final class NewEvent {

    public static final int MAX_STREAM_ID_BYTES = 255;

    private final String streamId;
    private final byte[] streamIdBytes;
    private final byte[] array;
    private final int offset;
    private final int length;

    public NewEvent(String streamId, byte[] data) {
        this(streamId, data, 0, data.length);
    }

    /** An event whose data is {@code length} bytes of {@code array} from {@code offset}. */
    public NewEvent(String streamId, byte[] array, int offset, int length) {
        this.streamId = Objects.requireNonNull(streamId, "streamId");
        this.streamIdBytes = encodeStreamId(streamId);
        Objects.checkFromIndexSize(offset, length, array.length);
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    private NewEvent(NewEvent sameStream, byte[] array, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, array.length);
        this.streamId = sameStream.streamId;
        this.streamIdBytes = sameStream.streamIdBytes;
        this.array = array;
        this.offset = offset;
        this.length = length;
    }

    /** An event of the same stream as this one, with other data (skips validating the stream id again). */
    public NewEvent withData(byte[] data) {
        return new NewEvent(this, data, 0, data.length);
    }

    /** Like {@link #withData(byte[])}, with the data a slice of {@code array}. */
    public NewEvent withData(byte[] array, int offset, int length) {
        return new NewEvent(this, array, offset, length);
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

    /** The event data: the array handed over when it is whole (do not modify it), else a copy of the slice. */
    public byte[] data() {
        return offset == 0 && length == array.length ? array : Arrays.copyOfRange(array, offset, offset + length);
    }

    /** The array holding the data, from {@link #dataOffset()} for {@link #dataLength()} bytes; do not modify. */
    public byte[] dataArray() {
        return array;
    }

    public int dataOffset() {
        return offset;
    }

    public int dataLength() {
        return length;
    }

    /** Size of this event's record in the log. */
    public int recordSize() {
        return RecordFormat.recordSize(streamIdBytes.length, length);
    }
}
