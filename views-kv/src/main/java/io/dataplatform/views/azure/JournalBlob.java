package io.dataplatform.views.azure;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The journal of a view container as one block blob, {@code <name>/journal}: frames of
 * {@code u32 length, u32 CRC32C of the payload, payload} (big-endian), oldest first. An append
 * rewrites the whole blob (one request, so atomic: a crash leaves the old or the new journal),
 * on the condition that its ETag is still the one this writer last saw: a writer that lost the
 * container to another can never add a commit. Dropping writes an empty journal the same way
 * (the blob stays, so its ETag keeps fencing). A writer, on opening, rewrites the journal as it
 * finds it, so that any earlier writer's next append fails.
 *
 * <p>Not thread-safe: the core appends from one thread at a time and never drops while appending.
 */
final class JournalBlob {

    private final BlobAccess blobs;
    private final String name;
    private final List<byte[]> entries = new ArrayList<>();
    private String etag;
    private volatile long bytes;

    JournalBlob(BlobAccess blobs, String name) {
        this.blobs = blobs;
        this.name = name;
    }

    /** Reads the journal and rewrites it as it is, taking it over from any earlier writer. */
    void takeOver() throws AzureFailure {
        BlobAccess.Blob found = blobs.get(name);
        if (found == null) {
            try {
                etag = blobs.put(name, new byte[0], BlobAccess.Expect.ABSENT, "application/octet-stream");
            } catch (BlobAccess.ConditionFailed raced) {
                takeOver(); // made meanwhile (by a writer whose lease just ended): read it
                return;
            }
            set(List.of());
            return;
        }
        List<byte[]> decoded = decode(found.bytes());
        etag = blobs.put(name, found.bytes(), new BlobAccess.Expect(found.etag()), "application/octet-stream");
        set(decoded);
    }

    /** The entries, oldest first (as read by {@link #takeOver} and appended since). */
    List<byte[]> read() {
        return List.copyOf(entries);
    }

    void append(byte[] entry) throws AzureFailure {
        List<byte[]> next = new ArrayList<>(entries);
        next.add(entry);
        etag = write(encode(next));
        set(next);
    }

    void drop() throws AzureFailure {
        if (entries.isEmpty()) {
            return;
        }
        etag = write(new byte[0]);
        set(List.of());
    }

    long bytes() {
        return bytes;
    }

    /** Writes {@code content} if the journal is still ours; a try that succeeded unseen (its answer lost) counts too. */
    private String write(byte[] content) throws AzureFailure {
        try {
            return blobs.put(name, content, new BlobAccess.Expect(etag), "application/octet-stream");
        } catch (BlobAccess.ConditionFailed changed) {
            BlobAccess.Blob now = blobs.get(name);
            if (now != null && Arrays.equals(now.bytes(), content)) {
                return now.etag();
            }
            throw BlobAccess.conflict("the journal " + name + " was rewritten by another writer: this one lost the container", changed);
        }
    }

    private void set(List<byte[]> now) {
        entries.clear();
        entries.addAll(now);
        long total = 0;
        for (byte[] entry : now) {
            total += entry.length;
        }
        bytes = total;
    }

    static byte[] encode(List<byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] entry : entries) {
            CRC32C crc = new CRC32C();
            crc.update(entry);
            out.writeBytes(ByteBuffer.allocate(8).putInt(entry.length).putInt((int) crc.getValue()).array());
            out.writeBytes(entry);
        }
        return out.toByteArray();
    }

    /** The entries of a journal blob; a damaged frame is an error (a blob is written whole, so it cannot be torn). */
    List<byte[]> decode(byte[] content) throws AzureFailure {
        List<byte[]> decoded = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
            if (buffer.remaining() < 8) {
                throw AzureFailure.permanent("journal blob " + name + " is damaged: a frame header is cut at byte " + buffer.position());
            }
            int at = buffer.position();
            int length = buffer.getInt();
            int checksum = buffer.getInt();
            if (length < 0 || length > buffer.remaining()) {
                throw AzureFailure.permanent("journal blob " + name + " is damaged: frame at byte " + at + " claims " + length + " bytes");
            }
            byte[] entry = new byte[length];
            buffer.get(entry);
            CRC32C crc = new CRC32C();
            crc.update(entry);
            if ((int) crc.getValue() != checksum) {
                throw AzureFailure.permanent("journal blob " + name + " is damaged: checksum mismatch in the frame at byte " + at);
            }
            decoded.add(entry);
        }
        return decoded;
    }
}
