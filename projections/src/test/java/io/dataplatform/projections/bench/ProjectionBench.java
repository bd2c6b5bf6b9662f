package io.dataplatform.projections.bench;

import io.dataplatform.projections.Batch;
import io.dataplatform.projections.BatchEvent;
import io.dataplatform.projections.Projection;
import io.dataplatform.projections.ProjectionConfig;
import io.dataplatform.projections.ProjectionRunner;
import io.dataplatform.projections.RunnerSettings;
import io.dataplatform.projections.StoreReaders;
import io.dataplatform.projections.ViewSession;
import io.dataplatform.projections.builtin.StreamCounts;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.Durability;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.Storage;
import io.dataplatform.store.StoreEngine;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import org.HdrHistogram.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * End-to-end projection benchmarks (seconds-long runs through real files, so a plain program
 * rather than JMH), run by {@code projections/bench.sh}:
 * <ul>
 *   <li>{@code catchup}: a count-only projection catching up on a store of 100-byte events (1 GiB
 *   by default) with direct reads, beside the raw scan of the same store with the same reader;</li>
 *   <li>{@code views}: {@code stream-counts} over 1,000 streams, so each 10,000-event batch commits
 *   1,000 distinct views on the file backend, with the share of time spent in view commits;</li>
 *   <li>{@code keys}: 1,000 distinct keys per 10,000-event batch drawn from 1,000,000, one view per
 *   key, on the {@code file} backend and on {@code rocksdb:} in the same run;</li>
 *   <li>{@code live}: single appends to a caught-up projection, the latency from the append to the
 *   projection's view commit, p50 and p99, reading through the engine of the same JVM and through
 *   the store's files.</li>
 * </ul>
 * Scratch data under {@code -Dbench.dir} (default /tmp), deleted afterwards.
 */
public final class ProjectionBench {

    private ProjectionBench() {
    }

    /** Counts events in one view, visiting every event (its data length). */
    public static final class CountOnly implements Projection {
        public static final class Total {
            public long events;
            public long bytes;
        }

        @Override
        public void apply(Batch batch, ViewSession views) {
            Total total = views.edit("total", Total.class, Total::new);
            long bytes = 0;
            for (int i = 0; i < batch.size(); i++) {
                bytes += batch.get(i).dataLength();
            }
            total.events += batch.size();
            total.bytes += bytes;
        }
    }

    /** Counts events per key, the key being the decimal digits that open each event's data. */
    public static final class KeyCounts implements Projection {
        @Override
        public void apply(Batch batch, ViewSession views) {
            for (int i = 0; i < batch.size(); i++) {
                byte[] data = batch.get(i).data();
                long key = 0;
                for (int j = 0; j < data.length && data[j] >= '0' && data[j] <= '9'; j++) {
                    key = key * 10 + (data[j] - '0');
                }
                CountOnly.Total total = views.edit("k" + key, CountOnly.Total.class, CountOnly.Total::new);
                total.events++;
                total.bytes += data.length;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "all";
        Path root = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/tmp")), "projection-bench");
        try {
            if (mode.equals("catchup") || mode.equals("all")) {
                long bytes = Long.getLong("bench.storeBytes", 1L << 30);
                catchUp(root.resolve("catchup"), bytes, List.of(RunnerSettings.defaults(),
                        RunnerSettings.defaults().withBatch(100_000, 32 << 20)));
            }
            if (mode.equals("views") || mode.equals("all")) {
                views(root.resolve("views"), Integer.getInteger("bench.events", 5_000_000));
            }
            if (mode.equals("keys") || mode.equals("all")) {
                keys(root.resolve("keys"), Integer.getInteger("bench.events", 2_000_000));
            }
            if (mode.equals("live") || mode.equals("all")) {
                live(root.resolve("live"), Integer.getInteger("bench.appends", 2_000), true);
                live(root.resolve("live-files"), Integer.getInteger("bench.appends", 2_000), false);
            }
        } finally {
            delete(root);
        }
    }

    static StoreEngine fill(Path data, String store, long bytes, int streams, int dataSize) throws Exception {
        StoreEngine engine = Storage.openEngine(data.toString(), EngineOptions.defaults().withDurability(Durability.NONE));
        byte[] payload = new byte[dataSize];
        long written = 0;
        int i = 0;
        long start = System.nanoTime();
        while (written < bytes) {
            List<NewEvent> batch = new ArrayList<>(10_000);
            for (int j = 0; j < 10_000; j++, i++) {
                batch.add(new NewEvent("s" + (i % streams), payload));
            }
            engine.append(StoreId.of(store), batch).get(120, TimeUnit.SECONDS);
            written = engine.commitPointer(StoreId.of(store)).orElseThrow().position();
        }
        System.out.printf("filled %s: %,d events, %,d bytes in %.1f s%n", store, i, written, (System.nanoTime() - start) / 1e9);
        return engine;
    }

    static void catchUp(Path dir, long bytes, List<RunnerSettings> runs) throws Exception {
        StoreId store = StoreId.of("catchup");
        try (StoreEngine engine = fill(dir.resolve("data"), store.value(), bytes, 100, 100)) {
            CommitPointer head = engine.commitPointer(store).orElseThrow();
            String location = dir.resolve("data").toString();
            rawScan(location, store, head, runs.get(0), "warm-up");
            for (RunnerSettings each : runs) {
                rawScan(location, store, head, each, "reference");
                try (ViewStore views = ViewStores.open(dir.resolve("views-" + each.maxEvents()).toString())) {
                    Result result = run("count-only", new CountOnly(), each, store,
                            StoreReaders.direct(dir.resolve("data").toString(), store), views, head.position());
                    System.out.printf("catch-up count-only (batch %,d events / %,d bytes): %,d events in %.2f s = %,.0f events/s;"
                                    + " %d commits, %.1f %% of the time in view commits%n", each.maxEvents(), each.maxBytes(),
                            result.events, result.seconds, result.events / result.seconds, result.commits,
                            100.0 * result.commitNanos / (result.seconds * 1e9));
                }
            }
        }
    }

    /** Reads the whole store with one reader and the runner's batch limits, touching every event. */
    static void rawScan(String location, StoreId store, CommitPointer head, RunnerSettings settings, String what) {
        try (StoreReader reader = Storage.openReader(location, store)) {
            long start = System.nanoTime();
            long events = 0;
            long bytes = 0;
            long position = 0;
            while (position < head.position()) {
                EventBatch batch = reader.read(position, settings.maxEvents(), settings.maxBytes());
                for (int i = 0; i < batch.size(); i++) {
                    bytes += batch.dataLength(i);
                }
                events += batch.size();
                position = batch.next();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("raw scan (%s, batch %,d events / %,d bytes): %,d events (%,d data bytes) in %.2f s = %,.0f events/s%n",
                    what, settings.maxEvents(), settings.maxBytes(), events, bytes, seconds, events / seconds);
        }
    }

    static void views(Path dir, int events) throws Exception {
        StoreId store = StoreId.of("views");
        long approxBytes = (long) events * (100 + 40);
        try (StoreEngine engine = fill(dir.resolve("data"), store.value(), approxBytes, 1_000, 100);
             ViewStore views = ViewStores.open(dir.resolve("views").toString())) {
            CommitPointer head = engine.commitPointer(store).orElseThrow();
            Result result = run("stream-counts", new StreamCounts(), RunnerSettings.defaults(), store,
                    StoreReaders.direct(dir.resolve("data").toString(), store), views, head.position());
            System.out.printf("1,000 views per 10,000-event batch (file backend): %,d events in %.2f s = %,.0f events/s;"
                            + " %d commits, %.1f %% of the time in view commits (%.1f ms per commit)%n", result.events,
                    result.seconds, result.events / result.seconds, result.commits,
                    100.0 * result.commitNanos / (result.seconds * 1e9), result.commitNanos / 1e6 / result.commits);
        }
    }

    /**
     * 1,000 distinct keys per 10,000-event batch (10 events each), the keys drawn at random from
     * 1,000,000, projected into one view per key: the same store, first into the {@code file} backend,
     * then into {@code rocksdb:}.
     */
    static void keys(Path dir, int events) throws Exception {
        StoreId store = StoreId.of("keys");
        java.util.Random random = new java.util.Random(42);
        long start = System.nanoTime();
        try (StoreEngine engine = Storage.openEngine(dir.resolve("data").toString(),
                EngineOptions.defaults().withDurability(Durability.NONE))) {
            for (int written = 0; written < events; written += 10_000) {
                List<NewEvent> batch = new ArrayList<>(10_000);
                int[] keys = random.ints(0, 1_000_000).distinct().limit(1_000).toArray();
                for (int repeat = 0; repeat < 10; repeat++) {
                    for (int key : keys) {
                        byte[] data = new byte[100];
                        java.util.Arrays.fill(data, (byte) ' ');
                        byte[] digits = Integer.toString(key).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                        System.arraycopy(digits, 0, data, 0, digits.length);
                        batch.add(new NewEvent("s" + (key % 100), data));
                    }
                }
                engine.append(store, batch).get(120, TimeUnit.SECONDS);
            }
            CommitPointer head = engine.commitPointer(store).orElseThrow();
            System.out.printf("filled keys: %,d events in %.1f s%n", events, (System.nanoTime() - start) / 1e9);
            for (String location : List.of(dir.resolve("views-file").toString(), "rocksdb:" + dir.resolve("views-rocksdb"))) {
                try (ViewStore views = ViewStores.open(location)) {
                    Result result = run("key-counts", new KeyCounts(), RunnerSettings.defaults(), store,
                            StoreReaders.direct(dir.resolve("data").toString(), store), views, head.position());
                    System.out.printf("1,000 views per 10,000-event batch, keys of 1,000,000 (%s): %,d events in %.2f s = %,.0f events/s;"
                                    + " %d commits, %.1f %% of the time in view commits (%.1f ms per commit)%n",
                            location.startsWith("rocksdb:") ? "rocksdb backend" : "file backend", result.events,
                            result.seconds, result.events / result.seconds, result.commits,
                            100.0 * result.commitNanos / (result.seconds * 1e9), result.commitNanos / 1e6 / result.commits);
                }
            }
        }
    }

    record Result(long events, double seconds, long commits, long commitNanos) {
    }

    static Result run(String name, Projection projection, RunnerSettings settings, StoreId store,
            StoreReaders sources, ViewStore views, long head) throws Exception {
        AtomicLong commits = new AtomicLong();
        AtomicLong commitNanos = new AtomicLong();
        AtomicLong applied = new AtomicLong();
        long start = System.nanoTime();
        ProjectionRunner runner = new ProjectionRunner(name, projection, ProjectionConfig.of(name, Map.of()), settings, store,
                sources, views, name, null, (n, events, bytes, nanos) -> {
                    commits.incrementAndGet();
                    commitNanos.addAndGet(nanos);
                    applied.addAndGet(events);
                }).start(false);
        while (runner.status().checkpoint() < head) {
            Thread.sleep(1);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        runner.close();
        return new Result(applied.get(), seconds, commits.get(), commitNanos.get());
    }

    /** Appends one event at a time (durable) and measures until the projection's commit of it. */
    static void live(Path dir, int appends, boolean inProcess) throws Exception {
        StoreId store = StoreId.of("live");
        Histogram fromAppend = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        Histogram fromAck = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        try (StoreEngine engine = Storage.openEngine(dir.resolve("data").toString(), EngineOptions.defaults());
             ViewStore views = ViewStores.open(dir.resolve("views").toString())) {
            engine.append(store, List.of(NewEvent.of("warm", "up"))).get();
            BlockingQueue<Long> committed = new ArrayBlockingQueue<>(16);
            StoreReaders sources = inProcess ? StoreReaders.engine(engine, store)
                    : StoreReaders.direct(dir.resolve("data").toString(), store);
            ProjectionRunner runner = new ProjectionRunner("live", new StreamCounts(), ProjectionConfig.of("live", Map.of()),
                    RunnerSettings.defaults(), store, sources, views, "live", null,
                    (n, events, bytes, nanos) -> committed.offer(System.nanoTime())).start(false);
            committed.poll(60, TimeUnit.SECONDS);
            for (int i = 0; i < appends; i++) {
                long start = System.nanoTime();
                engine.append(store, List.of(NewEvent.of("s" + (i % 10), "event " + i))).get();
                long acked = System.nanoTime();
                Long done = committed.poll(60, TimeUnit.SECONDS);
                if (done == null) {
                    throw new IllegalStateException("no view commit within 60 s");
                }
                if (i >= appends / 10) { // the first tenth warms up
                    fromAppend.recordValue(done - start);
                    fromAck.recordValue(Math.max(0, done - acked));
                }
            }
            runner.close();
        }
        System.out.printf("live, %s: append to view commit p50 %.2f ms, p99 %.2f ms, max %.2f ms;"
                        + " acknowledged append to view commit p50 %.2f ms, p99 %.2f ms (%d appends measured)%n",
                inProcess ? "engine in the same JVM" : "direct file reads", fromAppend.getValueAtPercentile(50) / 1e6,
                fromAppend.getValueAtPercentile(99) / 1e6, fromAppend.getMaxValue() / 1e6,
                fromAck.getValueAtPercentile(50) / 1e6, fromAck.getValueAtPercentile(99) / 1e6, fromAppend.getTotalCount());
    }

    static void delete(Path root) throws Exception {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
