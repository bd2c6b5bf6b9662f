package io.dataplatform.node;

import io.dataplatform.store.InvalidInputException;
import io.dataplatform.store.NewEvent;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Decodes the body of {@code POST /stores/{store}/events} into events, checking every rule before
 * anything reaches a store.
 *
 * <p>Binary frames ({@value #FRAMES}), repeated until the end of the body, big-endian:
 * {@code u8 S, S bytes stream id (UTF-8), u32 N, N bytes data}. NDJSON ({@value #NDJSON}): one
 * {@code {"stream":"...","data":"<base64>"}} per line; blank lines are skipped.
 *
 * <p>A batch holds at most {@code maxEvents} events: the decoded events cost memory the node's
 * in-flight byte budget does not count (an NDJSON line of 25 bytes becomes an event of about
 * ten times that), so their number is bounded, and decoding stops at the first one too many.
 *
 * <p>Stateless and thread-safe.
 */
final class EventFrames {
    static final String FRAMES = "application/vnd.dataplatform.frames";
    static final String NDJSON = "application/x-ndjson";

    private EventFrames() {
    }

    /**
     * @param maxEventSize     largest data of one event
     * @param maxRecordBytes   largest sum of record sizes of the batch
     * @param maxEvents        most events of the batch
     * @throws ApiError 400 naming the frame or line and the problem (or the event count over
     *                  {@code maxEvents}), 413 for an event or batch over the byte limits
     */
    static List<NewEvent> decodeFrames(byte[] bytes, int maxEventSize, long maxRecordBytes, int maxEvents) {
        // the events' data are slices of the body: nothing is copied until the writer encodes them
        ByteBuffer in = ByteBuffer.wrap(bytes);
        List<NewEvent> events = new ArrayList<>();
        int length = bytes.length;
        int at = 0;
        long recordBytes = 0;
        NewEvent previous = null;
        while (at < length) {
            int frame = events.size();
            if (frame == maxEvents) {
                throw tooManyEvents(maxEvents, "frame " + frame + " at byte " + at);
            }
            int s = Byte.toUnsignedInt(bytes[at]);
            if (s == 0) {
                throw ApiError.badRequest("invalid_frames", "frame " + frame + " at byte " + at
                        + ": a stream id has 1 to 255 bytes of UTF-8; it is empty");
            }
            if (at + 1 + s + 4 > length) {
                throw ApiError.badRequest("invalid_frames", "frame " + frame + " at byte " + at
                        + ": truncated (the body ends inside the stream id or the data length)");
            }
            long n = Integer.toUnsignedLong(in.getInt(at + 1 + s));
            if (n > maxEventSize) {
                throw new ApiError(413, "event_too_large", "frame " + frame + " at byte " + at + ": event data of "
                        + n + " bytes exceeds the limit of " + maxEventSize + " bytes");
            }
            int dataStart = at + 1 + s + 4;
            if (dataStart + n > length) {
                throw ApiError.badRequest("invalid_frames", "frame " + frame + " at byte " + at + ": truncated ("
                        + n + " bytes of data announced, " + (length - dataStart) + " left in the body)");
            }
            NewEvent event;
            byte[] previousId = previous == null ? null : previous.streamIdBytes();
            if (previousId != null && previousId.length == s && sameBytes(bytes, at + 1, previousId, s)) {
                // batches mostly repeat stream ids: decode and check each one once
                event = previous.withData(bytes, dataStart, (int) n);
            } else {
                String stream = utf8(strictUtf8(), bytes, at + 1, s, "frame " + frame + " at byte " + at);
                try {
                    event = new NewEvent(stream, bytes, dataStart, (int) n);
                } catch (InvalidInputException e) {
                    throw ApiError.badRequest("invalid_stream_id", "frame " + frame + ": " + e.getMessage());
                }
            }
            previous = event;
            recordBytes = addRecord(recordBytes, event, maxRecordBytes);
            events.add(event);
            at = dataStart + (int) n;
        }
        if (events.isEmpty()) {
            throw ApiError.badRequest("empty_batch", "the body holds no events");
        }
        return events;
    }

    /** Like {@link #decodeFrames}, for NDJSON; the problems are named by line. */
    static List<NewEvent> decodeNdjson(byte[] body, int maxEventSize, long maxRecordBytes, int maxEvents) {
        List<NewEvent> events = new ArrayList<>();
        int lineNo = 0;
        long recordBytes = 0;
        int start = 0;
        Base64.Decoder base64 = Base64.getDecoder();
        CharsetDecoder utf8 = strictUtf8();
        while (start < body.length) {
            // line by line, not the whole body at once: a '\n' byte is never part of a longer UTF-8 sequence
            int end = indexOf(body, (byte) '\n', start);
            lineNo++;
            String where = "line " + lineNo;
            String line = utf8(utf8, body, start, end - start, where).strip();
            start = end + 1;
            if (line.isEmpty()) {
                continue;
            }
            if (events.size() == maxEvents) {
                throw tooManyEvents(maxEvents, where);
            }
            JsonObject json;
            try {
                json = new JsonObject(line);
            } catch (DecodeException | ClassCastException e) {
                throw ApiError.badRequest("invalid_ndjson", where + ": not a JSON object");
            }
            if (!(json.getValue("stream") instanceof String stream)) {
                throw ApiError.badRequest("invalid_ndjson", where + ": \"stream\" must be a string");
            }
            Object dataValue = json.getValue("data", "");
            if (!(dataValue instanceof String base64Data)) {
                throw ApiError.badRequest("invalid_ndjson", where + ": \"data\" must be a base64 string");
            }
            byte[] data;
            try {
                data = base64.decode(base64Data);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("invalid_ndjson", where + ": \"data\" is not valid base64: " + e.getMessage());
            }
            if (data.length > maxEventSize) {
                throw new ApiError(413, "event_too_large", where + ": event data of " + data.length
                        + " bytes exceeds the limit of " + maxEventSize + " bytes");
            }
            NewEvent event = newEvent(stream, data, where);
            recordBytes = addRecord(recordBytes, event, maxRecordBytes);
            events.add(event);
        }
        if (events.isEmpty()) {
            throw ApiError.badRequest("empty_batch", "the body holds no events");
        }
        return events;
    }

    /**
     * True if {@code length} bytes of {@code bytes} from {@code offset} equal {@code id}'s first
     * ones. A plain loop: for stream ids of a few dozen bytes the vectorized {@code Arrays.equals}
     * cost more in its setup than in its comparison (a fifth of the node's CPU for 100-byte events).
     */
    private static boolean sameBytes(byte[] bytes, int offset, byte[] id, int length) {
        for (int i = length - 1; i >= 0; i--) { // ids of one batch mostly differ at their end ("stream-1", "stream-2")
            if (bytes[offset + i] != id[i]) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first {@code value} in {@code bytes} from {@code from}, or the length. */
    private static int indexOf(byte[] bytes, byte value, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return bytes.length;
    }

    private static ApiError tooManyEvents(int maxEvents, String where) {
        return ApiError.badRequest("too_many_events", "a batch holds at most " + maxEvents + " events; "
                + where + " is one more: split the batch, or stage it and use /import");
    }

    private static long addRecord(long recordBytes, NewEvent event, long maxRecordBytes) {
        long total = recordBytes + event.recordSize();
        if (total > maxRecordBytes) {
            throw new ApiError(413, "batch_too_large", "the batch takes more than " + maxRecordBytes
                    + " bytes in the log; split it or stage it and use /import");
        }
        return total;
    }

    private static NewEvent newEvent(String stream, byte[] data, String where) {
        try {
            return new NewEvent(stream, data);
        } catch (InvalidInputException e) {
            throw ApiError.badRequest("invalid_stream_id", where + ": " + e.getMessage());
        }
    }

    /** A UTF-8 decoder that refuses bytes that are not UTF-8 rather than replacing them. */
    private static CharsetDecoder strictUtf8() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static String utf8(CharsetDecoder decoder, byte[] bytes, int offset, int length, String where) {
        try {
            return decoder.decode(ByteBuffer.wrap(bytes, offset, length)).toString(); // resets the decoder first
        } catch (CharacterCodingException e) {
            throw ApiError.badRequest("invalid_utf8", where + ": not valid UTF-8");
        }
    }
}
