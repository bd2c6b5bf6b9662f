package io.dataplatform.views.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's journal: {@code <container>/journal.log}, a sequence of frames
 * {@code u32 payload length, u32 CRC32C of the payload, payload} (big-endian), each synced before
 * {@link #append} returns. A frame cut short or failing its checksum can only be the last, never
 * acknowledged, one: it and anything after it are dropped on {@link #read}, with a warning.
 * Dropping the journal truncates the file to zero, synced.
 *
 * <p>Not thread-safe: used only by its container's single writer.
 */
final class JournalFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JournalFile.class);
    private static final int HEADER = 8;
    private static final int MAX_PAYLOAD = Integer.MAX_VALUE - HEADER;

    private final Path path;
    private final FileChannel channel;
    /** End of the last whole frame: the next frame goes there, whatever a failed append left past it. Volatile: the flusher reads the size. */
    private volatile long end;

    JournalFile(Path path) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.end = channel.size();
    }

    /** Appends one frame at the end of the last whole one and syncs it. Safe to retry. */
    void append(byte[] payload) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(HEADER + payload.length);
        CRC32C crc = new CRC32C();
        crc.update(payload);
        frame.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
        if (channel.size() > end) {
            channel.truncate(end); // what an append that failed half-way left
        }
        long position = end;
        while (frame.hasRemaining()) {
            position += channel.write(frame, position);
        }
        channel.force(false); // fdatasync: the data and the size that makes it readable
        end = position;
    }

    /** Every whole frame's payload, oldest first; drops (and truncates away) a torn tail. */
    List<byte[]> read() throws IOException {
        long size = channel.size();
        List<byte[]> payloads = new ArrayList<>();
        long position = 0;
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (position + HEADER <= size) {
            header.clear();
            readFully(header, position);
            header.flip();
            int length = header.getInt();
            int expected = header.getInt();
            if (length < 0 || length > MAX_PAYLOAD || position + HEADER + length > size) {
                break;
            }
            ByteBuffer payload = ByteBuffer.allocate(length);
            readFully(payload, position + HEADER);
            CRC32C crc = new CRC32C();
            crc.update(payload.array());
            if ((int) crc.getValue() != expected) {
                break;
            }
            payloads.add(payload.array());
            position += HEADER + length;
        }
        if (position < size) {
            LOG.warn("Journal {}: dropped a torn tail of {} bytes at position {} (a commit that never completed)",
                    path, size - position, position);
            channel.truncate(position);
            channel.force(true);
        }
        end = position;
        return payloads;
    }

    long size() {
        return end;
    }

    /** Removes every entry, durably. */
    void drop() throws IOException {
        channel.truncate(0);
        channel.force(true);
        end = 0;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void readFully(ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position + buffer.position());
            if (read < 0) {
                throw new IOException("journal " + path + " ended early at " + (position + buffer.position()));
            }
        }
    }
}
