package io.dataplatform.views;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dataplatform.views.spi.DocumentVersion;
import java.util.Objects;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * The documents of every container of one store, in a Caffeine cache bounded by bytes. An entry
 * holds the document bytes (or the fact that there is none), their version, and when that version
 * was last checked and against which generation of its container: the reader checks it again by
 * version once the container's generation has changed (or, for backends that keep no generation,
 * once the check is older than the revalidation bound). Bytes, not deserialized values, are
 * cached: a typed read deserializes afresh, so callers may modify what they get and the cache
 * weighs exactly what it holds. Thread-safe.
 */
final class DocumentCache {

    /** Per-entry overhead counted on top of the document and key, roughly what the objects cost. */
    private static final int ENTRY_OVERHEAD = 96;

    /** A container and key; equals and hashCode written out, as one is made for every read. */
    static final class Key {
        final String container;
        final String key;

        Key(String container, String key) {
            this.container = container;
            this.key = key;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && key.equals(that.key) && container.equals(that.container);
        }

        @Override
        public int hashCode() {
            return 31 * container.hashCode() + key.hashCode();
        }
    }

    /** One cached document. Identity matters: readers install entries only over the one they saw. */
    static final class Entry {
        final byte[] bytes;
        final DocumentVersion version;
        volatile long checkedAt;
        /** The container's generation read before the version was last checked, or null if unknown. */
        volatile DocumentVersion generation;

        Entry(byte[] bytes, DocumentVersion version, long checkedAt, DocumentVersion generation) {
            this.bytes = bytes;
            this.version = version;
            this.checkedAt = checkedAt;
            this.generation = generation;
        }

        boolean sameVersion(DocumentVersion other) {
            return Objects.equals(version, other);
        }
    }

    private final ConcurrentMap<Key, Entry> entries;
    private final long boundNanos;
    private final LongSupplier clock;

    DocumentCache(long maxBytes, long boundNanos, LongSupplier clock) {
        Cache<Key, Entry> cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .executor(Runnable::run) // evict on the calling thread: no pool hop per write
                .weigher((Key key, Entry entry) -> ENTRY_OVERHEAD + 2 * key.key.length()
                        + (entry.bytes == null ? 0 : entry.bytes.length))
                .build();
        this.entries = cache.asMap();
        this.boundNanos = boundNanos;
        this.clock = clock;
    }

    long now() {
        return clock.getAsLong();
    }

    /** The entry, fresh or not, or null. */
    Entry get(Key key) {
        return entries.get(key);
    }

    /** Whether something checked at {@code checkedAt} may still be used without checking it again. */
    boolean isFresh(long checkedAt, long now) {
        return now - checkedAt < boundNanos;
    }

    /** A reader's result: installed only if nobody replaced {@code seen} meanwhile (a newer write wins). */
    void install(Key key, Entry seen, Entry loaded) {
        if (seen == null) {
            entries.putIfAbsent(key, loaded);
        } else {
            entries.replace(key, seen, loaded);
        }
    }

    /** A write of this process: visible to every reader at once; its generation is unknown, so it is checked once by version. */
    void written(Key key, byte[] bytes, DocumentVersion version) {
        entries.put(key, new Entry(bytes, version, now(), null));
    }

    /** Drops every entry of {@code container} (dropped or released: what it held may be stale), scanning the whole cache. */
    void forgetContainer(String container) {
        entries.keySet().removeIf(key -> key.container.equals(container));
    }
}
