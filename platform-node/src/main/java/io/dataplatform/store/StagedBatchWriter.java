package io.dataplatform.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes a staged batch for {@link StoreEngine#importStaged}: records in the log format, numbered
 * from 1 with timestamp 0 (the node re-stamps them when it imports the batch), to a file or to any
 * {@link StagingArea}. Buffered; memory stays bounded whatever the number of events. Not
 * thread-safe.
 */
public final class StagedBatchWriter implements AutoCloseable {

    private static final int BUFFER = 1024 * 1024;

    private final String name;
    private final WritableByteChannel out;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
    private long count;
    private long bytes;

    private StagedBatchWriter(String name, WritableByteChannel out) {
        this.name = name;
        this.out = out;
    }

    /** Creates (or replaces) a batch file. */
    public static StagedBatchWriter create(Path file) throws IOException {
        return new StagedBatchWriter(file.toString(), FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
    }

    /**
     * Creates (or replaces) the batch named by {@code location} in {@code area}.
     *
     * @throws InvalidInputException naming the rule the location breaks
     */
    public static StagedBatchWriter create(StagingArea area, String location) throws IOException {
        return new StagedBatchWriter(location, area.create(location));
    }

    public void add(NewEvent event) throws IOException {
        int size = event.recordSize();
        if (buffer.remaining() < size) {
            flush();
            if (buffer.capacity() < size) {
                buffer = ByteBuffer.allocateDirect(size);
            }
        }
        RecordFormat.encode(buffer, crc, ++count, 0, false, event.streamIdBytes(), event.dataArray(), event.dataOffset(), event.dataLength());
        bytes += size;
    }

    public long count() {
        return count;
    }

    public long bytes() {
        return bytes;
    }

    /** The file or staging location written. */
    public String name() {
        return name;
    }

    private void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        buffer.clear();
    }

    /** Writes out the rest and closes the batch (no sync: the node syncs what it imports). */
    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            out.close();
        }
    }
}
