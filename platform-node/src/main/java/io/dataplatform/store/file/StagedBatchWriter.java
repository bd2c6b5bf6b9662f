package io.dataplatform.store.file;

import io.dataplatform.store.NewEvent;
import io.dataplatform.store.RecordFormat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes a batch file for {@link io.dataplatform.store.StoreEngine#importStaged}: records in the
 * log format, numbered from 1 with timestamp 0 (the node re-stamps them when it imports the
 * batch). Buffered; memory stays bounded whatever the number of events. Not thread-safe.
 */
public final class StagedBatchWriter implements AutoCloseable {

    private static final int BUFFER = 1024 * 1024;

    private final Path file;
    private final FileChannel out;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
    private long count;
    private long bytes;

    private StagedBatchWriter(Path file) throws IOException {
        this.file = file;
        this.out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Creates (or replaces) the batch file. */
    public static StagedBatchWriter create(Path file) throws IOException {
        return new StagedBatchWriter(file);
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

    public Path file() {
        return file;
    }

    private void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        buffer.clear();
    }

    /** Writes out the rest and closes the file (no sync: the node syncs what it imports). */
    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            out.close();
        }
    }
}
