package io.dataplatform.node;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.StoreId;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The answers of batch appends sent with an idempotency key ({@value #HEADER}), remembered in
 * memory for {@code window} and at most {@code maxKeys} keys, so that a client retrying an append
 * whose answer it lost gets the original answer instead of storing the events again.
 *
 * <p>A replay of a key whose append is still running waits for that same append. An append that
 * fails forgets its key (nothing of it was committed), so a retry appends anew. A key is bound to
 * its store and to the CRC32C and length of its body: the same key with another body is refused
 * ({@code idempotency_key_reused}, without naming the store it was first used on). Keys are
 * forgotten, oldest first, once older than the window or beyond the count, except keys whose
 * append is still being committed (a retry must find them; their number is bounded by the writer
 * queues), and all at once when the node restarts.
 *
 * <p>One per node, shared by every event loop. Thread-safe: every method holds this object's lock,
 * briefly (no I/O under it).
 */
final class IdempotentAppends {
    static final String HEADER = "DP-Idempotency-Key";
    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
    static final int DEFAULT_MAX_KEYS = 100_000;
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{8,64}");

    private record Entry(StoreId store, long bodyChecksum, int bodyLength, CompletableFuture<AppendResult> result,
                         long createdNanos) {
    }

    private final Duration window;
    private final int maxKeys;
    private final LongSupplier clock;
    /** Insertion order = age order: the eldest entries are forgotten first. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    IdempotentAppends() {
        this(DEFAULT_WINDOW, DEFAULT_MAX_KEYS, System::nanoTime);
    }

    IdempotentAppends(Duration window, int maxKeys, LongSupplier clock) {
        this.window = window;
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    /** Refuses a key that is not 8 to 64 characters of {@code A-Z a-z 0-9 _ -}. */
    static String checkKey(String key) {
        if (!KEY.matcher(key).matches()) {
            throw ApiError.badRequest("invalid_idempotency_key", HEADER + " must be 8 to 64 characters of A-Z, a-z, 0-9, "
                    + "'_' and '-', not '" + (key.length() > 80 ? key.substring(0, 80) + "..." : key) + "'");
        }
        return key;
    }

    /**
     * The append of {@code key}: the one already started under it (a replay), or the one
     * {@code append} starts now.
     *
     * @throws ApiError 422 {@code idempotency_key_reused} if the key was used with another store or body
     */
    CompletableFuture<AppendResult> appendOnce(StoreId store, String key, long bodyChecksum, int bodyLength,
                                               Supplier<CompletableFuture<AppendResult>> append) {
        Entry entry;
        synchronized (this) {
            forgetOld();
            Entry known = entries.get(key);
            if (known != null) {
                if (!known.store().equals(store) || known.bodyChecksum() != bodyChecksum || known.bodyLength() != bodyLength) {
                    throw new ApiError(422, "idempotency_key_reused", "idempotency key '" + key
                            + "' was used for another batch within the last "
                            + window.toSeconds() + " s; use a new key for every batch");
                }
                return known.result();
            }
            entry = new Entry(store, bodyChecksum, bodyLength, new CompletableFuture<>(), clock.getAsLong());
            entries.put(key, entry);
        }
        CompletableFuture<AppendResult> started;
        try {
            started = append.get();
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        started.whenComplete((result, failure) -> {
            if (failure != null) {
                synchronized (this) {
                    entries.remove(key, entry);
                }
                entry.result().completeExceptionally(failure);
            } else {
                entry.result().complete(result);
            }
        });
        return entry.result();
    }

    synchronized int size() {
        return entries.size();
    }

    private void forgetOld() {
        long now = clock.getAsLong();
        long windowNanos = window.toNanos();
        Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
        while (eldest.hasNext()) {
            Entry entry = eldest.next().getValue();
            if (entries.size() < maxKeys && now - entry.createdNanos() < windowNanos) {
                return;
            }
            if (!entry.result().isDone()) {
                continue; // still being committed: a retry must find it (bounded by the writer queues)
            }
            eldest.remove();
        }
    }
}
