package io.dataplatform.views.file;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
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
 * <p>The file is a {@link RandomAccessFile}, not a {@code FileChannel}: its reads, writes, length
 * changes and {@code getFD().sync()} are not interruptible. The journal is open for the whole life
 * of the container and used by whichever thread commits, flushes or closes; a channel would be
 * closed for all of them by an interrupt of any one (an application cancelling its own task),
 * leaving the container unable to commit or close until the store is reopened. An interrupted
 * thread's append, read or drop simply completes, and its interrupt status stays set. The sync is
 * an fsync where a channel would fdatasync: an append changes the file's size, which both must
 * make durable, so it costs the same.
 *
 * <p>Not thread-safe: used by one thread at a time (commits under the container's write lock, the
 * drop under it too); {@link #size} may be read from any thread.
 */
final class JournalFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JournalFile.class);
    private static final int HEADER = 8;
    private static final int MAX_PAYLOAD = Integer.MAX_VALUE - HEADER;

    private final Path path;
    private final RandomAccessFile file;
    /** End of the last whole frame: the next frame goes there, whatever a failed append left past it. Volatile: the flusher reads the size. */
    private volatile long end;

    JournalFile(Path path) throws IOException {
        this.path = path;
        this.file = new RandomAccessFile(path.toFile(), "rw"); // created if missing
        this.end = file.length();
    }

    /** Appends one frame at the end of the last whole one and syncs it. Safe to retry. */
    void append(byte[] payload) throws IOException {
        byte[] frame = new byte[HEADER + payload.length];
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteBuffer.wrap(frame).putInt(payload.length).putInt((int) crc.getValue()).put(payload);
        if (file.length() > end) {
            file.setLength(end); // what an append that failed half-way left
        }
        file.seek(end);
        file.write(frame);
        file.getFD().sync(); // the data and the size that makes it readable
        end += frame.length;
    }

    /** Every whole frame's payload, oldest first; drops (and truncates away) a torn tail. */
    List<byte[]> read() throws IOException {
        long size = file.length();
        List<byte[]> payloads = new ArrayList<>();
        long position = 0;
        byte[] header = new byte[HEADER];
        while (position + HEADER <= size) {
            readFully(header, position);
            ByteBuffer fields = ByteBuffer.wrap(header);
            int length = fields.getInt();
            int expected = fields.getInt();
            if (length < 0 || length > MAX_PAYLOAD || position + HEADER + length > size) {
                break;
            }
            byte[] payload = new byte[length];
            readFully(payload, position + HEADER);
            CRC32C crc = new CRC32C();
            crc.update(payload);
            if ((int) crc.getValue() != expected) {
                break;
            }
            payloads.add(payload);
            position += HEADER + length;
        }
        if (position < size) {
            LOG.warn("Journal {}: dropped a torn tail of {} bytes at position {} (a commit that never completed)",
                    path, size - position, position);
            file.setLength(position);
            file.getFD().sync();
        }
        end = position;
        return payloads;
    }

    long size() {
        return end;
    }

    /** Removes every entry, durably. */
    void drop() throws IOException {
        file.setLength(0);
        file.getFD().sync();
        end = 0;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    private void readFully(byte[] buffer, long position) throws IOException {
        file.seek(position);
        int done = 0;
        while (done < buffer.length) {
            int read = file.read(buffer, done, buffer.length - done);
            if (read < 0) {
                throw new IOException("journal " + path + " ended early at " + (position + done));
            }
            done += read;
        }
    }
}
