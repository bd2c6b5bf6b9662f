package io.dataplatform.views.rocksdb;

import io.dataplatform.views.spi.DocumentVersion;
import io.dataplatform.views.spi.StoredDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.rocksdb.RocksIterator;

/** The reads of a container from one of its database handles, laid out as {@link RocksLayout} says. Stateless. */
final class RocksReads {

    /** Keys listed per visit of the database: an iterator is never left open between two pages. */
    static final int KEYS_PER_PAGE = 1_000;

    /** Where the pages of a listing come from: the handle to read now, or null if the container has none. */
    @FunctionalInterface
    interface Source {
        RocksHandle current() throws IOException;
    }

    private RocksReads() {
    }

    static StoredDocument get(RocksHandle handle, String key) throws IOException {
        byte[] value = handle.call("reading a view", db -> db.get(RocksLayout.viewKey(key)));
        return value == null ? null : new StoredDocument(RocksLayout.document(value),
                new DocumentVersion(RocksLayout.token(handle.identity, RocksLayout.commit(value))));
    }

    /** The version from the 8-byte header alone: RocksDB copies no more of the value than asked. */
    static DocumentVersion version(RocksHandle handle, String key) throws IOException {
        byte[] header = new byte[RocksLayout.HEADER];
        int size = handle.call("checking a view's version", db -> db.get(RocksLayout.viewKey(key), header));
        return size == org.rocksdb.RocksDB.NOT_FOUND ? null
                : new DocumentVersion(RocksLayout.token(handle.identity, RocksLayout.commit(header)));
    }

    static byte[] checkpoint(RocksHandle handle) throws IOException {
        return handle.call("reading the checkpoint", db -> db.get(RocksLayout.CHECKPOINT));
    }

    /** The number of the last commit, 0 before the first. */
    static long commits(RocksHandle handle) throws IOException {
        byte[] value = handle.call("reading the commit count", db -> db.get(RocksLayout.COMMITS));
        return value == null ? 0 : RocksLayout.commit(value);
    }

    /** The keys starting with {@code prefix}, in key order, read lazily a page at a time. */
    static Stream<String> keys(Source source, String prefix) {
        byte[] start = RocksLayout.viewKey(prefix);
        Iterator<String> pages = new Iterator<>() {
            private List<String> page = List.of();
            private int next;
            private byte[] after;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next < page.size()) {
                    return true;
                }
                if (done) {
                    return false;
                }
                try {
                    page = page(source.current(), start, after);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                next = 0;
                done = page.size() < KEYS_PER_PAGE;
                if (!page.isEmpty()) {
                    after = RocksLayout.viewKey(page.get(page.size() - 1));
                }
                return !page.isEmpty();
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.get(next++);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    private static List<String> page(RocksHandle handle, byte[] start, byte[] after) throws IOException {
        if (handle == null) {
            return List.of();
        }
        return handle.call("listing keys", db -> {
            List<String> keys = new ArrayList<>();
            try (RocksIterator iterator = db.newIterator()) {
                iterator.seek(after == null ? start : after);
                if (after != null && iterator.isValid() && Arrays.equals(iterator.key(), after)) {
                    iterator.next();
                }
                for (; iterator.isValid() && keys.size() < KEYS_PER_PAGE; iterator.next()) {
                    byte[] stored = iterator.key();
                    if (!startsWith(stored, start)) {
                        break;
                    }
                    keys.add(new String(stored, 1, stored.length - 1, StandardCharsets.UTF_8));
                }
                iterator.status();
            }
            return keys;
        });
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }
}
