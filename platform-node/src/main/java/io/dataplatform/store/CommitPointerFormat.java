package io.dataplatform.store;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The bytes of a store's commit pointer, {@code commit.chk} (docs/storage-format.md, "Commit
 * pointer"), whatever holds them (a file, a blob): two 32-byte slots at offsets 0 and 512, written
 * in turn; the valid slot with the higher store version is the pointer, the one at offset 0 on a
 * tie. A slot whose magic matches but whose format version is not 1 makes the whole pointer
 * unreadable ({@link UnsupportedFormatException}).
 *
 * <pre>
 * slot: u32 magic "DPCP" | u16 format version | u16 zero | u64 position | u64 store version
 *       | u32 CRC32C of the 24 bytes before it | u32 zero
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class CommitPointerFormat {

    /** The name of the pointer in a store: {@code <store>/commit.chk}. */
    public static final String NAME = "commit.chk";
    public static final int MAGIC = 0x44504350;
    public static final int SLOT_SIZE = 32;
    public static final int SECOND_SLOT = 512;
    /** Bytes of a whole pointer: both slots. */
    public static final int SIZE = SECOND_SLOT + SLOT_SIZE;
    private static final short FORMAT_VERSION = 1;

    private CommitPointerFormat() {
    }

    /** A whole pointer holding {@code pointer} in both slots, as a store is created with. */
    public static byte[] initial(CommitPointer pointer) {
        ByteBuffer content = ByteBuffer.allocate(SIZE);
        CRC32C crc = new CRC32C();
        encode(content, 0, pointer, crc);
        encode(content, SECOND_SLOT, pointer, crc);
        return content.array();
    }

    /** Writes {@code pointer} as a slot at {@code offset} of {@code out} (absolute; the buffer's position is kept). */
    public static void encode(ByteBuffer out, int offset, CommitPointer pointer, CRC32C crc) {
        out.putInt(offset, MAGIC);
        out.putShort(offset + 4, FORMAT_VERSION);
        out.putShort(offset + 6, (short) 0);
        out.putLong(offset + 8, pointer.position());
        out.putLong(offset + 16, pointer.version());
        crc.reset();
        crc.update(out.duplicate().position(offset).limit(offset + 24));
        out.putInt(offset + 24, (int) crc.getValue());
        out.putInt(offset + 28, 0);
    }

    /** The valid pointer in the slot at {@code offset} of {@code content} (from 0 to its limit), or null. */
    public static CommitPointer decode(ByteBuffer content, int offset) {
        if (content.limit() < offset + SLOT_SIZE || content.getInt(offset) != MAGIC
                || content.getShort(offset + 4) != FORMAT_VERSION) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(content.duplicate().position(offset).limit(offset + 24));
        if ((int) crc.getValue() != content.getInt(offset + 24)) {
            return null;
        }
        long position = content.getLong(offset + 8);
        long version = content.getLong(offset + 16);
        return position < 0 || version < 0 ? null : new CommitPointer(position, version);
    }

    /**
     * Refuses a slot at {@code offset} that carries the magic and another format version. A newer
     * format may lay out its slot (and its checksum) differently, so the version is taken as
     * written: a version 1 reader cannot tell a valid newer slot from a damaged one, and must not
     * overwrite either.
     *
     * @param where names the pointer in the error (a file path, a blob name)
     */
    public static void checkFormat(String store, String where, ByteBuffer content, int offset) {
        if (content.limit() < offset + 6 || content.getInt(offset) != MAGIC) {
            return;
        }
        int version = Short.toUnsignedInt(content.getShort(offset + 4));
        if (version != FORMAT_VERSION) {
            throw new UnsupportedFormatException(store, NAME + " (" + where + ", slot at offset " + offset + ")", version);
        }
    }

    /**
     * The pointer that {@code content} (a whole or short pointer, from 0 to its limit) holds; empty
     * if neither slot is valid.
     *
     * @throws UnsupportedFormatException if a slot carries a format version this release does not read
     */
    public static Optional<CommitPointer> newest(String store, String where, ByteBuffer content) {
        checkFormat(store, where, content, 0);
        checkFormat(store, where, content, SECOND_SLOT);
        CommitPointer first = decode(content, 0);
        CommitPointer second = decode(content, SECOND_SLOT);
        if (first == null) {
            return Optional.ofNullable(second);
        }
        return Optional.of(second == null || first.version() >= second.version() ? first : second);
    }

    /** The offset of the slot the next write goes to: the one that does not hold the newest pointer. */
    public static int olderSlot(ByteBuffer content) {
        CommitPointer first = decode(content, 0);
        CommitPointer second = decode(content, SECOND_SLOT);
        if (first != null && (second == null || first.version() > second.version())) {
            return SECOND_SLOT;
        }
        return 0;
    }
}
