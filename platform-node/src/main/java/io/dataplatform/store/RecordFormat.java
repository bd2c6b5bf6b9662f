package io.dataplatform.store;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The record layout of a store's log, format version 1 (see docs/storage-format.md). All
 * integers are big-endian.
 *
 * <pre>
 * offset  size  field
 *  0      4     length L of the rest of the record after the checksum (record size = 8 + L)
 *  4      4     CRC32C of the L bytes that follow
 *  8      8     store version (1, 2, 3, ... within the store)
 * 16      8     timestamp, milliseconds since the epoch
 * 24      1     flags: bit 0 set on the last record of an atomic commit
 * 25      1     stream id length S, 1..255
 * 26      S     stream id, UTF-8
 * 26+S    L-18-S event data
 * </pre>
 *
 * Stateless; the encoding methods take the caller's {@link CRC32C} so that a writer thread can
 * reuse one.
 */
public final class RecordFormat {

    public static final int FORMAT_VERSION = 1;
    /** Bytes before the stream id. */
    public static final int HEADER_SIZE = 26;
    /** Bytes of a record not covered by the checksum: the length and the checksum itself. */
    public static final int PREFIX_SIZE = 8;
    /** Length field of the smallest possible record (1-byte stream id, no data). */
    public static final int MIN_LENGTH = HEADER_SIZE - PREFIX_SIZE + 1;
    /** Largest event data the format allows, whatever an engine is configured with. */
    public static final int MAX_DATA_SIZE = 64 * 1024 * 1024;
    public static final int MAX_LENGTH = HEADER_SIZE - PREFIX_SIZE + NewEvent.MAX_STREAM_ID_BYTES + MAX_DATA_SIZE;

    public static final int FLAG_COMMIT_END = 1;

    static final int OFFSET_CRC = 4;
    static final int OFFSET_VERSION = 8;
    static final int OFFSET_TIMESTAMP = 16;
    static final int OFFSET_FLAGS = 24;
    static final int OFFSET_STREAM_LENGTH = 25;

    private RecordFormat() {
    }

    public static int recordSize(int streamIdLength, int dataLength) {
        return HEADER_SIZE + streamIdLength + dataLength;
    }

    /**
     * Writes one record at the buffer's position and advances it. The buffer must have
     * {@link #recordSize} bytes remaining.
     */
    public static void encode(ByteBuffer out, CRC32C crc, long version, long timestamp, boolean commitEnd,
                              byte[] streamId, byte[] data, int dataOffset, int dataLength) {
        encode(out, out.duplicate(), crc, version, timestamp, commitEnd, streamId, data, dataOffset, dataLength);
    }

    /**
     * {@link #encode(ByteBuffer, CRC32C, long, long, boolean, byte[], byte[], int, int)} without
     * allocating: {@code view} is a duplicate of {@code out} owned by the caller, whose position and
     * limit this method moves.
     */
    public static void encode(ByteBuffer out, ByteBuffer view, CRC32C crc, long version, long timestamp,
                              boolean commitEnd, byte[] streamId, byte[] data, int dataOffset, int dataLength) {
        int start = out.position();
        int length = HEADER_SIZE - PREFIX_SIZE + streamId.length + dataLength;
        out.putInt(length);
        out.putInt(0);
        out.putLong(version);
        out.putLong(timestamp);
        out.put((byte) (commitEnd ? FLAG_COMMIT_END : 0));
        out.put((byte) streamId.length);
        out.put(streamId);
        out.put(data, dataOffset, dataLength);
        out.putInt(start + OFFSET_CRC, checksumOfView(crc, view, start + PREFIX_SIZE, length));
    }

    /**
     * CRC32C of {@code length} bytes from {@code offset} of the buffer {@code view} duplicates:
     * moves the view's position and limit, allocates nothing.
     */
    public static int checksumOfView(CRC32C crc, ByteBuffer view, int offset, int length) {
        crc.reset();
        view.limit(offset + length).position(offset);
        crc.update(view);
        return (int) crc.getValue();
    }

    /**
     * Checks the record at {@code offset}, which must lie wholly within the buffer's limit. Returns
     * null if it verifies, else the problem in words.
     */
    public static String verify(CRC32C crc, ByteBuffer buffer, int offset) {
        return verify(crc, buffer, buffer.duplicate(), offset);
    }

    /**
     * {@link #verify(CRC32C, ByteBuffer, int)} without allocating: {@code view} is a duplicate of
     * {@code buffer} owned by the caller, whose position and limit this method moves.
     */
    public static String verify(CRC32C crc, ByteBuffer buffer, ByteBuffer view, int offset) {
        int length = buffer.getInt(offset);
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            return "impossible record length " + length;
        }
        if (checksumOfView(crc, view, offset + PREFIX_SIZE, length) != buffer.getInt(offset + OFFSET_CRC)) {
            return "checksum mismatch";
        }
        int streamLength = Byte.toUnsignedInt(buffer.get(offset + OFFSET_STREAM_LENGTH));
        if (streamLength == 0 || HEADER_SIZE - PREFIX_SIZE + streamLength > length) {
            return "impossible stream id length " + streamLength;
        }
        if (buffer.getLong(offset + OFFSET_VERSION) < 1) {
            return "impossible store version " + buffer.getLong(offset + OFFSET_VERSION);
        }
        return null;
    }

    /** The length field of the record at {@code offset}. */
    public static int length(ByteBuffer buffer, int offset) {
        return buffer.getInt(offset);
    }

    public static long version(ByteBuffer buffer, int offset) {
        return buffer.getLong(offset + OFFSET_VERSION);
    }

    public static long timestamp(ByteBuffer buffer, int offset) {
        return buffer.getLong(offset + OFFSET_TIMESTAMP);
    }

    public static boolean isCommitEnd(ByteBuffer buffer, int offset) {
        return (buffer.get(offset + OFFSET_FLAGS) & FLAG_COMMIT_END) != 0;
    }

    public static int streamIdLength(ByteBuffer buffer, int offset) {
        return Byte.toUnsignedInt(buffer.get(offset + OFFSET_STREAM_LENGTH));
    }
}
