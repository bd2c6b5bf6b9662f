package io.dataplatform.store.file;

import io.dataplatform.store.CorruptLogException;
import io.dataplatform.store.IncarnationFormat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A store's incarnation, {@code <store>/incarnation}: 32 lowercase hexadecimal characters (a
 * random 128-bit value) and a line feed, 33 bytes. Created with the store, before its commit
 * pointer, and never changed: a store deleted and created again gets a new one, so that a position
 * saved against the old store is refused rather than misread. A store written before incarnations
 * existed gets one the first time a writer opens it. Written atomically (temp file, sync, rename);
 * read by anyone, in any process. Stateless and thread-safe.
 */
final class IncarnationFile {

    static final String NAME = IncarnationFormat.NAME;
    static final int HEX_LENGTH = IncarnationFormat.HEX_LENGTH;

    private IncarnationFile() {
    }

    /** A fresh random incarnation id. */
    static String newId() {
        return IncarnationFormat.newId();
    }

    /** True if {@code id} is 32 lowercase hexadecimal characters. */
    static boolean isValid(String id) {
        return IncarnationFormat.isValid(id);
    }

    /**
     * The store's incarnation, or null if the file does not exist.
     *
     * @throws CorruptLogException if the file exists but does not hold an incarnation
     */
    static String read(String store, Path storeDirectory, FileOpener opener) throws IOException {
        Path path = storeDirectory.resolve(NAME);
        ByteBuffer content = ByteBuffer.allocate(HEX_LENGTH + 2);
        try (FileChannel in = opener.open(path, StandardOpenOption.READ)) {
            while (content.hasRemaining() && in.read(content) > 0) {
                // a short read only happens at the end of the file
            }
        } catch (NoSuchFileException e) {
            return null;
        }
        content.flip();
        String text = StandardCharsets.ISO_8859_1.decode(content).toString();
        String id = text.length() == HEX_LENGTH + 1 && text.charAt(HEX_LENGTH) == '\n' ? text.substring(0, HEX_LENGTH) : null;
        if (!isValid(id)) {
            throw new CorruptLogException(store, NAME, 0, "the incarnation file " + path
                    + " does not hold 32 lowercase hexadecimal characters and a line feed");
        }
        return id;
    }

    /**
     * Writes a new incarnation atomically (temp file, rename), synced if {@code durable} (the file,
     * and the directory if {@code syncDirectory}: a caller that syncs the directory right after, as
     * store creation does once its commit pointer is renamed into place, saves one sync); returns it.
     */
    static String create(Path storeDirectory, boolean durable, boolean syncDirectory, FileOpener opener)
            throws IOException {
        String id = newId();
        Path temp = storeDirectory.resolve(NAME + ".tmp");
        try (FileChannel out = opener.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer content = ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.US_ASCII));
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
        Files.move(temp, storeDirectory.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (durable && syncDirectory) {
            FileStoreLog.syncDirectory(opener, storeDirectory);
        }
        return id;
    }
}
