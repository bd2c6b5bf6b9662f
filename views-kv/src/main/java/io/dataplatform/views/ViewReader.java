package io.dataplatform.views;

import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Read access to the views of one container. Thread-safe: any number of threads may read at once.
 *
 * <p>Freshness: a write made through this process's {@link ViewContainer} is visible at once. A
 * write made by another process is visible within {@link ViewStoreOptions#revalidateAfter()}
 * (default 1 s), which includes the writer's flush interval (its view files are written behind
 * its commits, within a quarter of the bound, at most 250 ms): a cached document older than the
 * rest of the bound is revalidated by a cheap version check (file attributes, an ETag, a RocksDB
 * value header after a secondary instance caught up with the writer), and read
 * again only if it changed. This holds while the writer's disk keeps up with its commits; when it
 * does not, commits wait for the writer's flusher and its files lag by up to one flush pass.
 *
 * <p>Every key is validated first ({@link InvalidViewKeyException}, naming the broken rule): 1 to
 * 512 UTF-8 bytes; segments separated by {@code /}, none empty, {@code .} or {@code ..}; no
 * leading or trailing {@code /}, no {@code \}, no control characters, no unpaired surrogates.
 * IO failures surface, after retries of transient ones, as {@link ViewStoreException} naming the
 * container and the key.
 */
public interface ViewReader {

    /** The container's name. */
    String name();

    /** The document under {@code key} as raw bytes, or null if there is none. Never cached arrays: a copy. */
    byte[] readBytes(String key);

    /**
     * The document under {@code key} read as {@code type} through the store's Jackson mapper, or
     * null if there is none. Each call deserializes afresh, so callers may modify the result.
     *
     * @throws ViewStoreException if the document cannot be read as {@code type}
     */
    <T> T read(String key, Class<T> type);

    /** Like {@link #read}, but a missing view yields {@code factory.get()} (which is not written). */
    <T> T readOrNew(String key, Class<T> type, Supplier<? extends T> factory);

    /** Whether a view exists under {@code key}. */
    boolean exists(String key);

    /**
     * The keys starting with {@code prefix} (which may be empty, and need not end at a {@code /}),
     * found lazily, in no particular order. The stream holds directory handles: close it
     * (try-with-resources). Keys written or deleted while it runs may or may not appear.
     */
    Stream<String> keys(String prefix);

    /** The container's checkpoint, or null if none was ever committed. */
    Checkpoint readCheckpoint();
}
