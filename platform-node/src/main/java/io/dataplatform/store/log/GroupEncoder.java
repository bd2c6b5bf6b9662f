package io.dataplatform.store.log;

import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.RecordFormat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Encodes the records of one commit into a reusable write buffer and hands them to the
 * {@link StoreLog} in large writes, rolling to a new chunk whenever the next record would not fit
 * in the current one (a record never spans chunks). Public for backends' tests that write a log as
 * the engine does (a commit cut short by a crash). Not thread-safe: owned by one store's writer.
 */
public final class GroupEncoder {

    private final ByteBuffer buffer;
    /** A duplicate of {@link #buffer} for feeding checksums without allocating. */
    private final ByteBuffer bufferView;
    private ByteBuffer importBuffer;
    private final CRC32C crc = new CRC32C();
    private StoreLog log;
    private long startPosition;

    public GroupEncoder(EngineOptions options) {
        this.buffer = ByteBuffer.allocateDirect(options.maxWriteBuffer());
        this.bufferView = buffer.duplicate();
    }

    /** A read buffer for staged batch imports, reused by this writer thread (at least {@code size} bytes). */
    ByteBuffer importBuffer(int size) {
        if (importBuffer == null || importBuffer.capacity() < size) {
            importBuffer = ByteBuffer.allocateDirect(size);
        }
        return importBuffer;
    }

    /** Starts encoding a commit at the end of {@code log}. */
    public void begin(StoreLog log) {
        this.log = log;
        this.startPosition = log.end();
        buffer.clear();
    }

    /** Where the commit started. */
    public long startPosition() {
        return startPosition;
    }

    /** Where the next record will land. */
    public long position() {
        return log.end() + buffer.position();
    }

    public void put(NewEvent event, long version, long timestamp, boolean commitEnd) throws IOException {
        ByteBuffer out = reserve(event.recordSize());
        ByteBuffer view = out == buffer ? bufferView : out.duplicate();
        RecordFormat.encode(out, view, crc, version, timestamp, commitEnd, event.streamIdBytes(), event.dataArray(), event.dataOffset(), event.dataLength());
        written(out);
    }

    /**
     * Copies a verified record from {@code source} (at its position, {@code size} bytes), giving it
     * a new version, timestamp and commit flag, and a new checksum.
     */
    public void putRestamped(ByteBuffer source, int size, long version, long timestamp, boolean commitEnd) throws IOException {
        ByteBuffer out = reserve(size);
        int start = out.position();
        ByteBuffer record = source.duplicate();
        record.limit(record.position() + size);
        out.put(record);
        out.putLong(start + RecordFormat.PREFIX_SIZE, version);
        out.putLong(start + RecordFormat.PREFIX_SIZE + 8, timestamp);
        out.put(start + RecordFormat.PREFIX_SIZE + 16, (byte) (commitEnd ? RecordFormat.FLAG_COMMIT_END : 0));
        ByteBuffer view = out == buffer ? bufferView : out.duplicate();
        out.putInt(start + 4, RecordFormat.checksumOfView(crc, view, start + RecordFormat.PREFIX_SIZE,
                size - RecordFormat.PREFIX_SIZE));
        written(out);
    }

    /** Writes out what is buffered. */
    public void flush() throws IOException {
        if (buffer.position() > 0) {
            buffer.flip();
            log.write(buffer);
            buffer.clear();
        }
    }

    /** A buffer with room for a record of {@code size} bytes at the right place in the log. */
    private ByteBuffer reserve(int size) throws IOException {
        long fill = log.chunkFill(buffer.position());
        if (fill > 0 && fill + size > log.chunkSize()) {
            flush();
            log.roll();
        }
        if (buffer.remaining() < size) {
            flush();
        }
        return buffer.capacity() >= size ? buffer : ByteBuffer.allocate(size);
    }

    /** Sends a record encoded outside the write buffer straight to the log. */
    private void written(ByteBuffer out) throws IOException {
        if (out != buffer) {
            out.flip();
            log.write(out);
        }
    }
}
