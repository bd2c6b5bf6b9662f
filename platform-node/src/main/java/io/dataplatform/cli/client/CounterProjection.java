package io.dataplatform.cli.client;

import io.dataplatform.client.PlatformClient;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.ReadLimits;
import io.dataplatform.store.StoreReader;
import io.dataplatform.views.Checkpoint;
import io.dataplatform.views.ViewChange;
import io.dataplatform.views.ViewContainer;
import io.dataplatform.views.ViewReader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * A stand-in for a projection until the projection framework exists: reads a store in batches from
 * a position and keeps one counter view per stream ({@code counts/<stream>}) and a {@code total}
 * view, committed with the checkpoint after each batch through {@link ViewContainer#commit}, so the
 * counters are exactly-once with respect to the store. Runs on one thread; not thread-safe.
 */
final class CounterProjection {

    static final String TOTAL = "total";
    /** How long one wait for a commit lasts before the stop switch and the target are looked at again. */
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(200);

    /** A counter view's document. */
    record Counter(String stream, long count) {
    }

    private final ViewContainer container;
    private final Map<String, Long> counts = new HashMap<>();
    private long total;
    private long position;
    private long elapsedNanos;

    CounterProjection(ViewContainer container, long from) {
        this.container = container;
        this.position = from;
    }

    static String counterKey(String stream) {
        return "counts/" + stream;
    }

    /** Deletes the container's views and moves its checkpoint to {@code from}, in one commit. */
    void reset() {
        List<ViewChange> deletes = new ArrayList<>();
        try (Stream<String> keys = container.keys("")) {
            keys.forEach(key -> deletes.add(ViewChange.delete(key)));
        }
        container.commit(deletes, Checkpoint.at(position));
    }

    /**
     * Applies batches until the store's position reaches {@code target} once the writer is done
     * ({@code target} returns -1 while it runs), or the stop switch trips. Reading starts once
     * {@code storeExists} opens: a store being created has no commit pointer yet. Caught up, it
     * waits for the next commit with {@link StoreReader#awaitCommit}.
     */
    void run(PlatformClient client, CountDownLatch storeExists, LongSupplier target, StopSwitch stop, Progress progress) {
        long start = System.nanoTime();
        try (StoreReader reader = openReader(client, storeExists, stop)) {
            while (reader != null && !stop.stopping()) {
                long end = target.getAsLong();
                if (end >= 0 && position >= end) {
                    break;
                }
                EventBatch batch = reader.read(position, ReadLimits.DEFAULT_MAX_EVENTS, ReadLimits.DEFAULT_MAX_BYTES);
                if (batch.isEmpty()) {
                    // caught up: wait for the next commit (woken by it, not polling)
                    reader.awaitCommit(position, CHECK_INTERVAL);
                    continue;
                }
                apply(batch);
                progress.add(batch.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            elapsedNanos = System.nanoTime() - start;
        }
    }

    /** Opens a reader once the store exists (its first commit is durable), or null if stopped first. */
    private static StoreReader openReader(PlatformClient client, CountDownLatch storeExists, StopSwitch stop) {
        try {
            while (!stop.stopping()) {
                if (storeExists.await(100, TimeUnit.MILLISECONDS)) {
                    return client.reader();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private void apply(EventBatch batch) {
        Set<String> touched = new LinkedHashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            String stream = batch.streamId(i);
            counts.merge(stream, 1L, Long::sum);
            touched.add(stream);
        }
        List<ViewChange> changes = new ArrayList<>(touched.size() + 1);
        for (String stream : touched) {
            changes.add(container.change(counterKey(stream), new Counter(stream, counts.get(stream))));
        }
        changes.add(container.change(TOTAL, new Counter("", total + batch.size())));
        container.commit(changes, Checkpoint.at(batch.next()));
        total += batch.size();
        position = batch.next();
    }

    /** Events applied. */
    long total() {
        return total;
    }

    long position() {
        return position;
    }

    long elapsedNanos() {
        return elapsedNanos;
    }

    /**
     * Compares the views as stored (read through {@code views}) with what was applied and with
     * {@code expected} counts per stream; returns the first difference in words, or null.
     */
    String check(ViewReader views, Map<String, Long> expected, long expectedTotal) {
        Counter stored = views.read(TOTAL, Counter.class);
        long storedTotal = stored == null ? 0 : stored.count();
        if (storedTotal != expectedTotal) {
            return "view '" + TOTAL + "' counts " + storedTotal + " events, not " + expectedTotal;
        }
        for (Map.Entry<String, Long> stream : expected.entrySet()) {
            Counter counter = views.read(counterKey(stream.getKey()), Counter.class);
            long count = counter == null ? 0 : counter.count();
            if (count != stream.getValue()) {
                return "view '" + counterKey(stream.getKey()) + "' counts " + count + " events, not " + stream.getValue();
            }
        }
        Checkpoint checkpoint = views.readCheckpoint();
        if (checkpoint == null || checkpoint.position() != position) {
            return "the checkpoint is " + (checkpoint == null ? "missing" : checkpoint.position()) + ", not " + position;
        }
        return null;
    }
}
