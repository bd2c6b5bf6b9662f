package io.dataplatform.node;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A budget of request-body bytes the node holds at once, across all connections and event loops.
 * A request reserves the bytes of its body's array as the array grows (the first 64 KiB before
 * any arrive) and releases them when its answer is sent or its connection closes; when the budget
 * is spent the node answers 503 at once instead of buffering. This, with the engine's byte-bounded writer queues, is what
 * keeps memory bounded however many clients connect. Thread-safe.
 */
final class InFlightBytes {
    private final long limit;
    private final AtomicLong reserved = new AtomicLong();

    InFlightBytes(long limit) {
        this.limit = limit;
    }

    /** Reserves {@code bytes}; false (nothing reserved) if that would pass the limit. */
    boolean tryReserve(long bytes) {
        while (true) {
            long current = reserved.get();
            if (current + bytes > limit && current > 0) {
                return false;
            }
            if (reserved.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        reserved.addAndGet(-bytes);
    }

    long reserved() {
        return reserved.get();
    }

    long limit() {
        return limit;
    }
}
