package io.dataplatform.views.rocksdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How a container is laid out in its RocksDB database (one database per container, default
 * column family): a view under {@code 'v' + UTF-8 key}, its value the number of the commit that
 * wrote it (8 bytes, big-endian) followed by the document; the checkpoint document under
 * {@code "m:checkpoint"}; the number of the last commit under {@code "m:commits"} (8 bytes), written
 * by every commit. A view's version is the database's identity (its {@code IDENTITY} file, new with
 * every database) and the number of the commit that wrote it; the container's generation is the
 * identity and the number of the last commit. Neither ever comes back, even after a drop.
 * Stateless.
 */
final class RocksLayout {

    static final byte[] CHECKPOINT = "m:checkpoint".getBytes(StandardCharsets.UTF_8);
    static final byte[] COMMITS = "m:commits".getBytes(StandardCharsets.UTF_8);
    static final int HEADER = Long.BYTES;
    private static final byte VIEW = 'v';

    private RocksLayout() {
    }

    static byte[] viewKey(String key) {
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        byte[] stored = new byte[utf8.length + 1];
        stored[0] = VIEW;
        System.arraycopy(utf8, 0, stored, 1, utf8.length);
        return stored;
    }

    /** The view key of a stored key, or null if it is not a view's. */
    static String key(byte[] stored) {
        return stored.length == 0 || stored[0] != VIEW ? null
                : new String(stored, 1, stored.length - 1, StandardCharsets.UTF_8);
    }

    static byte[] value(long commit, byte[] document) {
        byte[] value = new byte[HEADER + document.length];
        ByteBuffer.wrap(value).putLong(commit);
        System.arraycopy(document, 0, value, HEADER, document.length);
        return value;
    }

    static long commit(byte[] value) {
        return ByteBuffer.wrap(value).getLong();
    }

    static byte[] document(byte[] value) {
        return Arrays.copyOfRange(value, HEADER, value.length);
    }

    static byte[] number(long commit) {
        return ByteBuffer.allocate(Long.BYTES).putLong(commit).array();
    }

    static String token(String identity, long commit) {
        return identity + "/" + commit;
    }
}
