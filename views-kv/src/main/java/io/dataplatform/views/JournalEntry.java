package io.dataplatform.views;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One journal entry: the final document of every key a commit changed (null for a deletion) and
 * its checkpoint document (null if the commit leaves the checkpoint alone). The payload layout,
 * big-endian: {@code u32 magic "VJE1"}, {@code u32 change count}, per change {@code u16 key
 * length, UTF-8 key, i32 document length (-1 = delete), document}, then {@code i32 checkpoint
 * length (-1 = none), checkpoint}. Backends frame and checksum the payload.
 *
 * @param changes final document per key, in first-change order; null values are deletions
 * @param checkpoint the checkpoint document, or null
 */
record JournalEntry(Map<String, byte[]> changes, byte[] checkpoint) {

    private static final int MAGIC = 0x564a4531; // "VJE1"

    /** The entry of a commit: several changes of one key fold into the last one. */
    static JournalEntry of(Collection<ViewChange> changes, byte[] checkpoint) {
        Map<String, byte[]> folded = new LinkedHashMap<>();
        for (ViewChange change : changes) {
            folded.put(change.key(), change.document());
        }
        return new JournalEntry(folded, checkpoint);
    }

    /** The effect of applying {@code entries} in order: last document per key, last checkpoint. */
    static JournalEntry fold(List<JournalEntry> entries) {
        Map<String, byte[]> folded = new LinkedHashMap<>();
        byte[] checkpoint = null;
        for (JournalEntry entry : entries) {
            folded.putAll(entry.changes());
            if (entry.checkpoint() != null) {
                checkpoint = entry.checkpoint();
            }
        }
        return new JournalEntry(folded, checkpoint);
    }

    byte[] encode() {
        int size = 12;
        for (Map.Entry<String, byte[]> change : changes.entrySet()) {
            size += 6 + change.getKey().length() * 3 + (change.getValue() == null ? 0 : change.getValue().length);
        }
        size += checkpoint == null ? 0 : checkpoint.length;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(size);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(MAGIC);
            out.writeInt(changes.size());
            for (Map.Entry<String, byte[]> change : changes.entrySet()) {
                byte[] key = change.getKey().getBytes(StandardCharsets.UTF_8);
                out.writeShort(key.length);
                out.write(key);
                writeBytes(out, change.getValue());
            }
            writeBytes(out, checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen in memory
        }
        return buffer.toByteArray();
    }

    /** @throws IOException if the payload is not a journal entry (the backend's checksum passed, so: a bug or a foreign file) */
    static JournalEntry decode(byte[] payload) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a view journal entry (bad magic)");
            }
            int count = in.readInt();
            Map<String, byte[]> changes = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                byte[] key = new byte[in.readUnsignedShort()];
                in.readFully(key);
                changes.put(new String(key, StandardCharsets.UTF_8), readBytes(in));
            }
            byte[] checkpoint = readBytes(in);
            if (in.read() != -1) {
                throw new IOException("view journal entry has trailing bytes");
            }
            return new JournalEntry(changes, checkpoint);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < -1) {
            throw new IOException("negative length in view journal entry");
        }
        if (length == -1) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
