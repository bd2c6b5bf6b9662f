package io.dataplatform.store.azure;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CommitWaiters;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.log.CommitWaitSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Wakes the commit waits of direct blob readers, whose store another process writes: blobs have
 * no change notification, so every {@link AzureStoreOptions#pollInterval()} it reads the pointer
 * blob of each store that has waiters (and only those), and wakes them when it moved. One per
 * account: one daemon thread ({@code dp-blob-commit-poll}) started on first use, whatever the
 * number of readers; a store is polled while a reader that waited on it is open. Thread-safe.
 */
final class BlobPointerPoller {

    private static final Logger LOG = LoggerFactory.getLogger(BlobPointerPoller.class);

    private final long intervalNanos;
    private final Function<StoreId, CommitPointer> readPointer;
    /** Polled stores; guarded by {@code this}. */
    private final Map<StoreId, Polled> polled = new HashMap<>();
    private ScheduledExecutorService thread;
    private ScheduledFuture<?> task;

    private static final class Polled {
        final CommitWaiters waiters;
        int readers;

        Polled(StoreId store) {
            this.waiters = new CommitWaiters(store);
        }
    }

    /** @param readPointer reads a store's pointer now (throws if it cannot) */
    BlobPointerPoller(java.time.Duration interval, Function<StoreId, CommitPointer> readPointer) {
        this.intervalNanos = interval.toNanos();
        this.readPointer = readPointer;
    }

    /** The wait source of one reader of {@code store}: the store is polled until the reader closes. */
    CommitWaitSource source(StoreId store) {
        return new CommitWaitSource() {
            private boolean joined;

            @Override
            public synchronized CommitWaiters waiters() {
                if (!joined) {
                    joined = true;
                    return join(store);
                }
                synchronized (BlobPointerPoller.this) {
                    return polled.get(store).waiters;
                }
            }

            @Override
            public synchronized void release() {
                if (joined) {
                    joined = false;
                    leave(store);
                }
            }
        };
    }

    private synchronized CommitWaiters join(StoreId store) {
        Polled entry = polled.computeIfAbsent(store, Polled::new);
        entry.readers++;
        if (thread == null) {
            thread = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread t = new Thread(task, "dp-blob-commit-poll");
                t.setDaemon(true);
                return t;
            });
            task = thread.scheduleWithFixedDelay(this::poll, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
        }
        return entry.waiters;
    }

    private synchronized void leave(StoreId store) {
        Polled entry = polled.get(store);
        if (entry != null && --entry.readers == 0) {
            polled.remove(store);
        }
        if (polled.isEmpty() && thread != null) {
            task.cancel(false);
            thread.shutdown();
            thread = null;
        }
    }

    private void poll() {
        List<Map.Entry<StoreId, Polled>> waiting = new ArrayList<>();
        synchronized (this) {
            for (Map.Entry<StoreId, Polled> entry : polled.entrySet()) {
                if (entry.getValue().waiters.size() > 0) {
                    waiting.add(entry);
                }
            }
        }
        for (Map.Entry<StoreId, Polled> entry : waiting) {
            try {
                entry.getValue().waiters.advanced(readPointer.apply(entry.getKey()));
            } catch (RuntimeException e) {
                // the next poll tries again; a wait ends at its timeout if the pointer stays unreadable
                LOG.debug("Store '{}': cannot read its commit pointer ({})", entry.getKey(), e.toString());
            }
        }
    }
}
