package io.dataplatform.views;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataplatform.views.spi.BackendContainer;
import io.dataplatform.views.spi.DocumentVersion;
import io.dataplatform.views.spi.StoredDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The read path of one container: the documents this process committed but has not yet written
 * ({@link DirtyViews}) first, then the cache; a cached document is served as long as the
 * container's generation (read again at most once per freshness bound) is the one its version
 * was checked against; otherwise a cheap version check, then the whole document only if its
 * version changed. Backends that keep no generation get the version check once the entry is older
 * than the bound. Thread-safe.
 */
class ContainerReads implements ViewReader {

    /** The container's generation as this process last read it (null: none), and when (on the cache's clock). */
    private record Generation(DocumentVersion token, long readAt) {
    }

    /** The checkpoint's own mapper: its JSON ({"position":…,"metadata":{…}}) must not follow the user's settings. */
    private static final ObjectMapper CHECKPOINT_MAPPER = new ObjectMapper();

    final String name;
    final BackendContainer backend;
    final DocumentCache cache;
    final Retry retry;
    final ObjectMapper mapper;
    final DirtyViews dirty;
    private volatile Generation generation;

    ContainerReads(String name, BackendContainer backend, DocumentCache cache, Retry retry, ObjectMapper mapper,
            DirtyViews dirty) {
        this.name = name;
        this.backend = backend;
        this.cache = cache;
        this.retry = retry;
        this.mapper = mapper;
        this.dirty = dirty;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte[] readBytes(String key) {
        byte[] bytes = cached(key);
        return bytes == null ? null : bytes.clone();
    }

    @Override
    public <T> T read(String key, Class<T> type) {
        byte[] bytes = cached(key);
        if (bytes == null) {
            return null;
        }
        try {
            return mapper.readValue(bytes, type);
        } catch (IOException e) {
            throw new ViewStoreException(name, key, "document is not a readable " + type.getName() + ": " + e, e);
        }
    }

    @Override
    public <T> T readOrNew(String key, Class<T> type, Supplier<? extends T> factory) {
        T value = read(key, type);
        return value != null ? value : factory.get();
    }

    @Override
    public boolean exists(String key) {
        return cached(key) != null;
    }

    @Override
    public Stream<String> keys(String prefix) {
        ViewKeys.checkPrefix(prefix);
        // Dirty keys first: one written (and so no longer dirty) while the backend is listed is then listed once.
        Map<String, DirtyViews.Document> pending = dirty.withPrefix(prefix);
        Stream<String> keys = retry.run(name, null, "listing keys by prefix '" + prefix + "'", () -> backend.keys(prefix));
        Iterator<String> found = keys.iterator();
        Iterator<String> guarded = new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return found.hasNext();
                } catch (UncheckedIOException e) {
                    throw new ViewStoreException(name, null, "listing keys by prefix '" + prefix + "' failed: " + e, e);
                }
            }

            @Override
            public String next() {
                try {
                    return found.next();
                } catch (UncheckedIOException e) {
                    throw new ViewStoreException(name, null, "listing keys by prefix '" + prefix + "' failed: " + e, e);
                }
            }
        };
        Stream<String> stored = StreamSupport.stream(Spliterators.spliteratorUnknownSize(guarded, Spliterator.NONNULL), false)
                .onClose(keys::close);
        if (pending.isEmpty()) {
            return stored;
        }
        List<String> written = pending.entrySet().stream()
                .filter(entry -> entry.getValue().bytes != null).map(Map.Entry::getKey).toList();
        return Stream.concat(stored.filter(key -> !pending.containsKey(key)), written.stream());
    }

    @Override
    public Checkpoint readCheckpoint() {
        byte[] document = dirty.checkpoint();
        if (document == null) {
            document = retry.run(name, null, "reading the checkpoint", backend::readCheckpoint);
        }
        if (document == null) {
            return null;
        }
        try {
            return CHECKPOINT_MAPPER.readValue(document, Checkpoint.class);
        } catch (IOException e) {
            throw new ViewStoreException(name, null, "checkpoint document is damaged: " + e, e);
        }
    }

    /** The current bytes under {@code key} (shared with the cache: never hand them out), or null. */
    final byte[] cached(String key) {
        if (key == null) {
            ViewKeys.checkKey(null);
        }
        // only valid keys are ever dirty or cached: a hit needs no validation, a miss gets it
        DirtyViews.Document pending = dirty.get(key);
        if (pending != null) {
            return pending.bytes;
        }
        DocumentCache.Key cacheKey = new DocumentCache.Key(name, key);
        DocumentCache.Entry seen = cache.get(cacheKey);
        long now = cache.now();
        DocumentVersion generation = generation(now);
        if (seen != null && (generation == null ? cache.isFresh(seen.checkedAt, now) : seen.generation == generation)) {
            return seen.bytes;
        }
        ViewKeys.checkKey(key);
        if (seen != null) {
            DocumentVersion version = retry.run(name, key, "checking the version", () -> backend.version(key));
            if (seen.sameVersion(version)) {
                seen.checkedAt = now;
                seen.generation = generation; // read before the version: a later change gives another one
                return seen.bytes;
            }
        }
        StoredDocument document = retry.run(name, key, "reading", () -> backend.get(key));
        DocumentCache.Entry loaded = document == null
                ? new DocumentCache.Entry(null, null, now, generation)
                : new DocumentCache.Entry(document.bytes(), document.version(), now, generation);
        cache.install(cacheKey, seen, loaded);
        return loaded.bytes;
    }

    /**
     * The container's generation, read from the backend again once the last read is older than
     * the freshness bound; null if there is none (the backend keeps none, or no writer published
     * one yet). An unchanged generation is returned as the same object, which is how cached
     * entries are compared with it.
     */
    private DocumentVersion generation(long now) {
        Generation known = generation;
        if (known != null && cache.isFresh(known.readAt(), now)) {
            return known.token();
        }
        DocumentVersion token = retry.run(name, null, "reading the container's generation", backend::generation);
        if (token != null && known != null && token.equals(known.token())) {
            token = known.token();
        }
        generation = new Generation(token, now);
        return token;
    }

    static byte[] encodeCheckpoint(Checkpoint checkpoint) {
        try {
            return CHECKPOINT_MAPPER.writeValueAsBytes(checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a record of a long and strings always encodes
        }
    }
}
