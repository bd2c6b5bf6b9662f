package io.dataplatform.views;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataplatform.rules.Backoff;
import java.time.Duration;
import java.util.Objects;

/**
 * How a view store is opened. Start from {@link #defaults()} and change what you need with the
 * {@code with...} methods; the record is immutable.
 *
 * @param mapper Jackson mapper for typed reads and writes; views are JSON documents
 * @param cacheMaxBytes bound of the in-process cache, in document bytes (0 disables caching)
 * @param revalidateAfter the bound within which a reader sees another process's writes: the writer
 *     writes view files behind its commits at least every quarter of it (at most every 250 ms), and a
 *     cached document is served without checking its version for the rest of it
 * @param retries how many times a transient IO error is retried before it surfaces
 * @param firstRetryPause the pause before the first retry; each next pause doubles, up to
 *     {@link #MAX_RETRY_PAUSE} (or the first pause, if longer)
 * @param journalLimitBytes the journal grows up to about this size before the written views are
 *     synced in bulk and the journal is dropped (file backend); bounds the replay on open; unused by
 *     backends that commit atomically (rocksdb)
 * @param backend a backend plugin's name ({@code file}, {@code memory}, {@code rocksdb}) or class name, or null
 *     to choose by the form of the location
 */
public record ViewStoreOptions(
        ObjectMapper mapper,
        long cacheMaxBytes,
        Duration revalidateAfter,
        int retries,
        Duration firstRetryPause,
        long journalLimitBytes,
        String backend) {

    public ViewStoreOptions {
        Objects.requireNonNull(mapper, "mapper");
        Objects.requireNonNull(revalidateAfter, "revalidateAfter");
        Objects.requireNonNull(firstRetryPause, "firstRetryPause");
        if (cacheMaxBytes < 0 || retries < 0 || journalLimitBytes < 0
                || revalidateAfter.isNegative() || firstRetryPause.isNegative()) {
            throw new IllegalArgumentException("view store options must not be negative");
        }
    }

    /** The longest pause between two retries of a backend call (unless the first pause is longer). */
    public static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(5);

    /** 64 MiB cache, 1 s revalidation, 4 retries from 50 ms, 64 MiB journal, backend by location. */
    public static ViewStoreOptions defaults() {
        return new ViewStoreOptions(new ObjectMapper(), 64L << 20, Duration.ofSeconds(1), 4,
                Duration.ofMillis(50), 64L << 20, null);
    }

    /** The pauses between retries of a transient backend failure, by {@code retries} and {@code firstRetryPause}. */
    public Backoff backoff() {
        Duration longest = firstRetryPause.compareTo(MAX_RETRY_PAUSE) > 0 ? firstRetryPause : MAX_RETRY_PAUSE;
        return Backoff.exponential(retries, firstRetryPause, longest);
    }

    public ViewStoreOptions withMapper(ObjectMapper value) {
        return new ViewStoreOptions(value, cacheMaxBytes, revalidateAfter, retries, firstRetryPause,
                journalLimitBytes, backend);
    }

    public ViewStoreOptions withCacheMaxBytes(long value) {
        return new ViewStoreOptions(mapper, value, revalidateAfter, retries, firstRetryPause,
                journalLimitBytes, backend);
    }

    public ViewStoreOptions withRevalidateAfter(Duration value) {
        return new ViewStoreOptions(mapper, cacheMaxBytes, value, retries, firstRetryPause,
                journalLimitBytes, backend);
    }

    public ViewStoreOptions withRetries(int count, Duration firstPause) {
        return new ViewStoreOptions(mapper, cacheMaxBytes, revalidateAfter, count, firstPause,
                journalLimitBytes, backend);
    }

    public ViewStoreOptions withJournalLimitBytes(long value) {
        return new ViewStoreOptions(mapper, cacheMaxBytes, revalidateAfter, retries, firstRetryPause,
                value, backend);
    }

    public ViewStoreOptions withBackend(String value) {
        return new ViewStoreOptions(mapper, cacheMaxBytes, revalidateAfter, retries, firstRetryPause,
                journalLimitBytes, value);
    }
}
