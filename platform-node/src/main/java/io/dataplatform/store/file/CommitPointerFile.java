package io.dataplatform.store.file;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CommitPointerFormat;
import io.dataplatform.store.UnsupportedFormatException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * A store's commit pointer, {@code <store>/commit.chk}: two 32-byte slots at offsets 0 and 512,
 * written alternately in place, so that a torn write of one slot (each sits in its own disk
 * sector) always leaves the other intact. The valid slot with the higher store version wins; of
 * two valid slots with the same version, the one at offset 0. A slot whose magic matches but whose
 * format version is not one this release reads makes the whole file unreadable
 * ({@link UnsupportedFormatException}): it is never taken for damage, and never rewritten.
 *
 * <pre>
 * slot: u32 magic "DPCP" | u16 format version | u16 zero | u64 position | u64 store version
 *       | u32 CRC32C of the 24 bytes before it | u32 zero
 * </pre>
 *
 * The writer side (one per store) is not thread-safe; {@link #read(Path)} may run in any
 * process at any time.
 */
final class CommitPointerFile implements AutoCloseable {

    static final String NAME = CommitPointerFormat.NAME;
    static final int MAGIC = CommitPointerFormat.MAGIC;
    static final int SLOT_SIZE = CommitPointerFormat.SLOT_SIZE;
    static final int SECOND_SLOT = CommitPointerFormat.SECOND_SLOT;
    static final int FILE_SIZE = CommitPointerFormat.SIZE;

    private final Path path;
    private final ByteBuffer slot = ByteBuffer.allocateDirect(SLOT_SIZE);
    private final CRC32C crc = new CRC32C();
    private FileChannel channel;
    private int nextSlot;
    private boolean dirty;

    private final boolean durable;

    private CommitPointerFile(Path path, int nextSlot, boolean durable) {
        this.path = path;
        this.nextSlot = nextSlot;
        this.durable = durable;
    }

    /** Creates the file holding {@code pointer} atomically (temp file, sync, rename). */
    static void create(Path path, CommitPointer pointer) throws IOException {
        create(path, pointer, true, FileOpener.DEFAULT);
    }

    /** Creates the file holding {@code pointer} atomically (temp file, rename), synced if {@code durable}. */
    static void create(Path path, CommitPointer pointer, boolean durable, FileOpener opener) throws IOException {
        Path temp = path.resolveSibling(NAME + ".tmp");
        try (FileChannel out = opener.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer content = ByteBuffer.allocate(FILE_SIZE);
            encode(content, 0, pointer, new CRC32C());
            encode(content, SECOND_SLOT, pointer, new CRC32C());
            while (content.hasRemaining()) {
                out.write(content);
            }
            if (durable) {
                try {
                    out.force(true);
                } catch (IOException e) {
                    throw FileStoreLog.syncFailed(temp.toString(), e);
                }
            }
        }
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Opens the file for updates; {@link #sync} does nothing unless {@code durable}. The next write
     * goes to the slot that does not hold the newest pointer.
     */
    static CommitPointerFile openForWrite(Path path, boolean durable) throws IOException {
        return openForWrite(path, durable, FileOpener.DEFAULT);
    }

    static CommitPointerFile openForWrite(Path path, boolean durable, FileOpener opener) throws IOException {
        int older = 0;
        Slots slots = readSlots(path, opener);
        if (slots != null && slots.first != null && slots.second != null
                && slots.first.version() > slots.second.version()) {
            older = SECOND_SLOT;
        } else if (slots != null && slots.first != null && slots.second == null) {
            older = SECOND_SLOT;
        }
        CommitPointerFile file = new CommitPointerFile(path, older, durable);
        file.channel = opener.open(path, StandardOpenOption.WRITE, StandardOpenOption.READ);
        return file;
    }

    /**
     * The newest valid pointer in the file; empty if the file is missing, or if neither slot
     * verifies.
     *
     * @throws UnsupportedFormatException if a slot carries a format version this release does not read
     */
    static Optional<CommitPointer> read(Path path) throws IOException {
        return read(path, FileOpener.DEFAULT);
    }

    static Optional<CommitPointer> read(Path path, FileOpener opener) throws IOException {
        Slots slots = readSlots(path, opener);
        if (slots == null) {
            return Optional.empty();
        }
        if (slots.first == null) {
            return Optional.ofNullable(slots.second);
        }
        if (slots.second == null || slots.first.version() >= slots.second.version()) {
            return Optional.of(slots.first);
        }
        return Optional.of(slots.second);
    }

    /** Writes {@code pointer} into the older slot, without syncing. */
    void write(CommitPointer pointer) throws IOException {
        slot.clear();
        encode(slot, 0, pointer, crc);
        int offset = nextSlot;
        while (slot.hasRemaining()) {
            offset += channel.write(slot, offset);
        }
        nextSlot = nextSlot == 0 ? SECOND_SLOT : 0;
        dirty = true;
    }

    /** Makes the last write durable (a no-op for a store that runs without durability). */
    void sync() throws IOException {
        if (dirty && durable) {
            try {
                channel.force(false);
            } catch (IOException e) {
                throw FileStoreLog.syncFailed(path.toString(), e);
            }
            dirty = false;
        }
    }

    /** Closes the file without syncing it (after a failed commit, before the file is replaced). */
    void abandon() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            try {
                sync();
            } finally {
                channel.close();
                channel = null;
            }
        }
    }

    private record Slots(CommitPointer first, CommitPointer second) {
    }

    private static Slots readSlots(Path path, FileOpener opener) throws IOException {
        ByteBuffer content = ByteBuffer.allocate(FILE_SIZE);
        try (FileChannel in = opener.open(path, StandardOpenOption.READ)) {
            while (content.hasRemaining() && in.read(content, content.position()) > 0) {
                // a short read only happens at the end of a short (damaged) file
            }
        } catch (NoSuchFileException e) {
            return null;
        }
        content.flip();
        checkFormat(path, content, 0);
        checkFormat(path, content, SECOND_SLOT);
        return new Slots(decode(content, 0), decode(content, SECOND_SLOT));
    }

    /** Refuses a slot of another format version ({@link CommitPointerFormat#checkFormat}). */
    private static void checkFormat(Path path, ByteBuffer content, int offset) {
        Path directory = path.toAbsolutePath().getParent();
        String store = directory == null || directory.getFileName() == null ? "?" : directory.getFileName().toString();
        CommitPointerFormat.checkFormat(store, path.toString(), content, offset);
    }

    private static void encode(ByteBuffer out, int offset, CommitPointer pointer, CRC32C crc) {
        CommitPointerFormat.encode(out, offset, pointer, crc);
    }

    private static CommitPointer decode(ByteBuffer content, int offset) {
        return CommitPointerFormat.decode(content, offset);
    }
}
