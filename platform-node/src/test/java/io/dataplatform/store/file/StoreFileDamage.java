package io.dataplatform.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/** Damage made by hand on a store's files, for tests in any package (the files as a crash or a newer release leaves them). */
public final class StoreFileDamage {

    private StoreFileDamage() {
    }

    /**
     * Rewrites the format version of the commit pointer's slots (the first only, or both) as a
     * newer release would write it, with a checksum that matches in the version 1 layout.
     */
    public static void setPointerFormatVersion(Path storeDirectory, int version, boolean bothSlots) throws IOException {
        Path pointer = storeDirectory.resolve(CommitPointerFile.NAME);
        try (FileChannel file = FileChannel.open(pointer, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (int offset : bothSlots ? new int[]{0, CommitPointerFile.SECOND_SLOT} : new int[]{0}) {
                ByteBuffer slot = ByteBuffer.allocate(CommitPointerFile.SLOT_SIZE);
                file.read(slot, offset);
                slot.putShort(4, (short) version);
                CRC32C crc = new CRC32C();
                crc.update(slot.array(), 0, 24);
                slot.putInt(24, (int) crc.getValue());
                slot.rewind();
                file.write(slot, offset);
            }
        }
    }

    /** Cuts {@code bytes} off the end of the store's last chunk: the commit pointer then lies past its data. */
    public static void truncateLastChunk(Path storeDirectory, int bytes) throws IOException {
        Path last = new ChunkFiles(storeDirectory.getFileName().toString(), storeDirectory).refresh().all().lastEntry().getValue();
        try (FileChannel chunk = FileChannel.open(last, StandardOpenOption.WRITE)) {
            chunk.truncate(chunk.size() - bytes);
        }
    }

    /** Every file under the store's directory with its bytes (Base64), to show that nothing changed. */
    public static Map<String, String> snapshot(Path storeDirectory) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(storeDirectory)) {
            for (Path path : walk.filter(Files::isRegularFile).toList()) {
                files.put(storeDirectory.relativize(path).toString(), Base64.getEncoder().encodeToString(Files.readAllBytes(path)));
            }
        }
        return files;
    }
}
