package io.dataplatform.store.format;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A second reader of the store format, written from {@code docs/storage-format.md} alone and used
 * only by tests: it shares no code with the engine (only the JDK's CRC-32C), so that where the
 * page is vague or wrong, it and the engine's reader disagree and a test says so. Reads whole
 * stores into memory: for tests, not for large stores. Not thread-safe.
 */
public final class IndependentFormatReader {

    /** What the page calls the commit pointer. */
    public record Pointer(long position, long version) {
    }

    /** One record as the page lays it out. */
    public record Record(long position, long next, long version, long timestamp, int flags, String stream, byte[] data) {
        public boolean commitFlag() {
            return (flags & 1) != 0;
        }
    }

    /** The store was written in a format version this reader does not read. */
    public static final class FormatRefused extends RuntimeException {
        private final int found;

        FormatRefused(int found) {
            super("commit.chk carries format version " + found + "; this reader reads version 1");
            this.found = found;
        }

        public int found() {
            return found;
        }
    }

    /** Bytes that do not verify where the page says a record (or a file) must be. */
    public static final class Damage extends RuntimeException {
        Damage(String file, long position, String what) {
            super(file + " at " + position + ": " + what);
        }
    }

    private static final int MAGIC = 0x44504350;
    private static final int MIN_LENGTH = 19;
    private static final int MAX_LENGTH = 18 + 255 + 64 * 1024 * 1024;

    private final Path store;

    public IndependentFormatReader(Path root, String storeId) {
        this.store = root.resolve(storeId);
    }

    /** The 32 hexadecimal characters of {@code incarnation}, or null if the file does not exist. */
    public String incarnation() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(store.resolve("incarnation"));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length != 33 || bytes[32] != '\n') {
            throw new Damage("incarnation", 0, "not 33 bytes ending in a line feed");
        }
        for (int i = 0; i < 32; i++) {
            byte b = bytes[i];
            if (!(b >= '0' && b <= '9') && !(b >= 'a' && b <= 'f')) {
                throw new Damage("incarnation", i, "not a lowercase hexadecimal character");
            }
        }
        return new String(bytes, 0, 32, StandardCharsets.US_ASCII);
    }

    /** The commit pointer; empty if {@code commit.chk} is missing or neither slot is valid. */
    public Optional<Pointer> pointer() {
        byte[] file;
        try {
            file = Files.readAllBytes(store.resolve("commit.chk"));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer bytes = ByteBuffer.wrap(file);
        // the format version comes first, whatever the CRC says
        for (int slot : new int[]{0, 512}) {
            if (file.length >= slot + 6 && bytes.getInt(slot) == MAGIC) {
                int format = Short.toUnsignedInt(bytes.getShort(slot + 4));
                if (format != 1) {
                    throw new FormatRefused(format);
                }
            }
        }
        Pointer first = slot(bytes, 0);
        Pointer second = slot(bytes, 512);
        if (first == null) {
            return Optional.ofNullable(second);
        }
        if (second == null || first.version() >= second.version()) {
            return Optional.of(first);
        }
        return Optional.of(second);
    }

    private static Pointer slot(ByteBuffer bytes, int offset) {
        if (bytes.capacity() < offset + 32 || bytes.getInt(offset) != MAGIC || bytes.getShort(offset + 4) != 1) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes.array(), offset, 24);
        if ((int) crc.getValue() != bytes.getInt(offset + 24)) {
            return null;
        }
        long position = bytes.getLong(offset + 8);
        long version = bytes.getLong(offset + 16);
        return position < 0 || version < 0 ? null : new Pointer(position, version);
    }

    /** The chunk files by first position. */
    private TreeMap<Long, Path> chunks() {
        TreeMap<Long, Path> chunks = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(store.resolve("chunks"))) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.length() == 24 && name.endsWith(".dat") && name.substring(0, 20).chars().allMatch(c -> c >= '0' && c <= '9')) {
                    chunks.put(Long.parseLong(name.substring(0, 20)), file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return chunks;
    }

    /** Every committed record, from position 0 to the commit pointer. */
    public List<Record> readAll() {
        Pointer pointer = pointer().orElseThrow(() -> new Damage("commit.chk", 0, "no valid commit pointer"));
        return read(0, pointer);
    }

    /** The records from {@code from} (a record boundary) up to the pointer, checked as the page says. */
    public List<Record> read(long from, Pointer pointer) {
        TreeMap<Long, Path> chunks = chunks();
        List<Record> records = new ArrayList<>();
        long position = from;
        long expectedVersion = -1;
        Record last = null;
        while (position < pointer.position()) {
            Map.Entry<Long, Path> chunk = chunks.floorEntry(position);
            if (chunk == null) {
                throw new Damage("(no chunk)", position, "no chunk holds this position");
            }
            Record record = readRecord(chunk.getValue(), chunk.getKey(), position, pointer.position());
            if (expectedVersion >= 0 && record.version() != expectedVersion) {
                throw new Damage(chunk.getValue().getFileName().toString(), position,
                        "version " + record.version() + " where " + expectedVersion + " was expected");
            }
            expectedVersion = record.version() + 1;
            records.add(record);
            last = record;
            position = record.next();
        }
        if (last != null && (last.version() != pointer.version() || !last.commitFlag())) {
            throw new Damage("commit.chk", pointer.position(), "the record ending at the commit position has version "
                    + last.version() + (last.commitFlag() ? "" : " and no commit flag") + "; the pointer says " + pointer.version());
        }
        return records;
    }

    private static Record readRecord(Path file, long chunkStart, long position, long limit) {
        String name = file.getFileName().toString();
        try (FileChannel chunk = FileChannel.open(file, StandardOpenOption.READ)) {
            long offset = position - chunkStart;
            ByteBuffer prefix = ByteBuffer.allocate(8);
            readFully(chunk, prefix, offset, name, position);
            int length = prefix.getInt(0);
            if (length < MIN_LENGTH || length > MAX_LENGTH) {
                throw new Damage(name, position, "impossible length " + length);
            }
            long next = position + 8 + length;
            if (offset + 8 + length > chunk.size() || next > limit) {
                throw new Damage(name, position, "the record runs past its chunk or the commit pointer");
            }
            ByteBuffer body = ByteBuffer.allocate(length);
            readFully(chunk, body, offset + 8, name, position);
            CRC32C crc = new CRC32C();
            crc.update(body.array(), 0, length);
            if ((int) crc.getValue() != prefix.getInt(4)) {
                throw new Damage(name, position, "CRC-32C does not match");
            }
            long version = body.getLong(0);
            long timestamp = body.getLong(8);
            int flags = Byte.toUnsignedInt(body.get(16));
            int streamLength = Byte.toUnsignedInt(body.get(17));
            if (streamLength < 1 || streamLength > length - 18) {
                throw new Damage(name, position, "impossible stream id length " + streamLength);
            }
            if (version < 1) {
                throw new Damage(name, position, "impossible version " + version);
            }
            String stream = new String(body.array(), 18, streamLength, StandardCharsets.UTF_8);
            byte[] data = new byte[length - 18 - streamLength];
            System.arraycopy(body.array(), 18 + streamLength, data, 0, data.length);
            return new Record(position, next, version, timestamp, flags, stream, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void readFully(FileChannel chunk, ByteBuffer buffer, long offset, String name, long position)
            throws IOException {
        while (buffer.hasRemaining()) {
            if (chunk.read(buffer, offset + buffer.position()) < 0) {
                throw new Damage(name, position, "the chunk file ends inside the record");
            }
        }
    }
}
