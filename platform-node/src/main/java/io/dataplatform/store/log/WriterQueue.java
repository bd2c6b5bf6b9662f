package io.dataplatform.store.log;

import io.dataplatform.store.QueueFullException;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The writes waiting for one store's writer, bounded by bytes: an offer that would take the queue
 * past its bound fails at once with {@link QueueFullException} (a single write larger than the
 * bound is taken when the queue is empty, so that it is not refused forever). Keeps the engine-wide
 * total of queued bytes up to date. Holds no files: it knows nothing of the storage backend.
 *
 * <p>Thread-safe: any thread offers, the store's writer polls.
 */
final class WriterQueue {

    private final String store;
    private final long maxBytes;
    private final AtomicLong engineBytes;
    private final Queue<PendingWrite> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    WriterQueue(String store, long maxBytes, AtomicLong engineBytes) {
        this.store = store;
        this.maxBytes = maxBytes;
        this.engineBytes = engineBytes;
    }

    /** Queues {@code write}; if the queue is full, fails its future instead and returns false. */
    boolean offer(PendingWrite write) {
        long size = write.bytes();
        long now = bytes.addAndGet(size);
        if (now > maxBytes && now != size) {
            bytes.addAndGet(-size);
            write.future().completeExceptionally(new QueueFullException(store, now - size, maxBytes));
            return false;
        }
        engineBytes.addAndGet(size);
        count.incrementAndGet();
        queue.add(write);
        return true;
    }

    /** The oldest queued write, or null. */
    PendingWrite poll() {
        PendingWrite write = queue.poll();
        if (write != null) {
            count.decrementAndGet();
            bytes.addAndGet(-write.bytes());
            engineBytes.addAndGet(-write.bytes());
        }
        return write;
    }

    /** Writes queued now (what one group may take). */
    int size() {
        return count.get();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    long bytes() {
        return bytes.get();
    }

    /** Fails every queued write with the error {@code failure} makes. */
    void failAll(Supplier<? extends RuntimeException> failure) {
        PendingWrite write;
        while ((write = poll()) != null) {
            write.future().completeExceptionally(failure.get());
        }
    }
}
