package io.dataplatform.cli.client;

import io.dataplatform.client.PlatformClient;
import io.dataplatform.store.AppendResult;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.StoreReader;
import io.dataplatform.views.ViewReader;
import io.dataplatform.views.ViewStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code client smartapp-bench} (the original's SABENCH1): a smart app under load. One writer
 * appends batches through the node; N projections ({@link CounterProjection}) read the same store
 * and keep counter views with exactly-once commits; M readers read those views. At the end each
 * projection's counters must equal the events written.
 */
@Command(name = "smartapp-bench", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"One writer appends --batches batches of --batch-size events (atomic POSTs) to the store, while",
                "--projections projections read it (directly with --location, else over HTTP) and commit per-stream",
                "counter views with their checkpoint (views-kv commit), and --readers threads read those views.",
                "Prints write events/s under load, projection events/s, view reads/s; exit 1 unless every",
                "projection's counters equal the events written. Views go to --views, else a temporary directory."})
final class SmartAppBenchCommand extends StoreCommand {

    @Option(names = "--batches", defaultValue = "100", description = "Batches written (default ${DEFAULT-VALUE}).")
    long batches;

    @Option(names = "--batch-size", defaultValue = "1000", description = "Events per batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--size", defaultValue = "100", description = "Bytes of data per event (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--streams", defaultValue = "16", description = "Streams the events are spread over (default ${DEFAULT-VALUE}).")
    int streams;

    @Option(names = "--projections", defaultValue = "2", description = "Projections (default ${DEFAULT-VALUE}).")
    int projections;

    @Option(names = "--readers", defaultValue = "2", description = "View reader threads (default ${DEFAULT-VALUE}).")
    int readers;

    @Option(names = "--views", description = "The view store location (a directory); default a temporary directory.")
    String views;

    static String container(int projection) {
        return "sabench-p" + projection;
    }

    static String stream(long event, int streams) {
        return "sabench-" + (event % streams);
    }

    @Override
    CommandResult execute() throws Exception {
        require(batches >= 1, "--batches must be at least 1");
        require(batchSize >= 1, "--batch-size must be at least 1");
        require(size >= 0, "--size must not be negative");
        require(streams >= 1, "--streams must be at least 1");
        require(projections >= 1, "--projections must be at least 1");
        require(readers >= 0, "--readers must not be negative");
        AtomicLong written = new AtomicLong();
        AtomicLong target = new AtomicLong(-1);
        AtomicLong viewReads = new AtomicLong();
        AtomicLong viewReadFailures = new AtomicLong();
        AtomicBoolean projecting = new AtomicBoolean(true);
        long[] writeNanos = new long[1];
        List<CounterProjection> running = new ArrayList<>();
        String mismatch = null;
        Exception failure;
        long nanos;
        long readNanos;
        try (PlatformClient writer = writer(); PlatformClient readerClient = readerClient();
             BenchViews bench = BenchViews.open(views, null); ViewStore readerStore = bench.uncachedReaders();
             Progress progress = progress("events projected")) {
            long from = commitPosition(readerClient);
            CountDownLatch storeExists = new CountDownLatch(from > 0 ? 0 : 1);
            for (int p = 0; p < projections; p++) {
                CounterProjection projection = new CounterProjection(bench.store().container(container(p)), from);
                projection.reset();
                running.add(projection);
            }
            long start = System.nanoTime();
            Workers writerThread = new Workers(stop).start("smartapp-writer", 1, w -> {
                long t0 = System.nanoTime();
                long next = from;
                try {
                    List<NewEvent> batch = new ArrayList<>(batchSize);
                    for (long b = 0; b < batches && !stop.stopping(); b++) {
                        batch.clear();
                        long first = written.get();
                        for (int i = 0; i < batchSize; i++) {
                            batch.add(new NewEvent(stream(first + i, streams), payload(size, first + i)));
                        }
                        AppendResult appended = writer.append(batch);
                        written.addAndGet(appended.count());
                        next = appended.next();
                        storeExists.countDown();
                    }
                } finally {
                    writeNanos[0] = System.nanoTime() - t0;
                    target.set(next);
                    storeExists.countDown();
                }
            });
            Workers projectionThreads = new Workers(stop).start("smartapp-projection", projections,
                    p -> running.get(p).run(readerClient, storeExists, target::get, stop, progress));
            Workers readerThreads = new Workers(stop).start("smartapp-view-reader", readers, r -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (projecting.get() && !stop.stopping()) {
                    ViewReader views = readerStore.reader(container(random.nextInt(projections)));
                    try {
                        views.read(CounterProjection.counterKey(stream(random.nextInt(streams), streams)),
                                CounterProjection.Counter.class);
                    } catch (RuntimeException e) {
                        viewReadFailures.incrementAndGet();
                    }
                    viewReads.incrementAndGet();
                }
            });
            writerThread.join();
            projectionThreads.join();
            nanos = System.nanoTime() - start;
            projecting.set(false);
            readerThreads.join();
            readNanos = System.nanoTime() - start;
            failure = firstOf(writerThread.failure(), projectionThreads.failure(), readerThreads.failure());
            if (failure == null) {
                // through the store the projections wrote: it sees its commits at once, while files
                // (what the uncached readers see) follow within the view store's visibility bound
                mismatch = check(running, bench.store(), written.get());
            }
        }
        return result(running, written.get(), writeNanos[0], nanos, viewReads.get(), viewReadFailures.get(), readNanos,
                failure, mismatch);
    }

    private CommandResult result(List<CounterProjection> running, long written, long writeNanos, long nanos,
                                 long viewReads, long viewReadFailures, long readNanos, Exception failure,
                                 String mismatch) {
        double writeRate = CommandResult.perSecond(written, writeNanos);
        long projected = 0;
        double projectionRate = 0;
        List<Double> perProjection = new ArrayList<>();
        for (CounterProjection projection : running) {
            projected += projection.total();
            double rate = CommandResult.perSecond(projection.total(), projection.elapsedNanos());
            perProjection.add(rate);
            projectionRate += rate;
        }
        double readRate = CommandResult.perSecond(viewReads, readNanos);
        boolean ok = failure == null && mismatch == null && viewReadFailures == 0;
        boolean partial = written < batches * batchSize || stop.stopping();
        CommandResult.Builder result = CommandResult.of(name())
                .put("store", store).put("batches", batches).put("batchSize", batchSize).put("size", size)
                .put("projections", projections).put("readers", readers).put("eventsWritten", written)
                .put("eventsProjected", projected).put("seconds", CommandResult.round(nanos / 1e9))
                .put("writeEventsPerSecond", writeRate)
                .put("projectionEventsPerSecond", CommandResult.round(projectionRate))
                .put("projectionEventsPerSecondEach", perProjection)
                .put("viewReads", viewReads).put("viewReadsPerSecond", readRate)
                .put("viewReadFailures", viewReadFailures).put("countersMatch", mismatch == null && failure == null)
                .partial(partial).exitCode(ok ? 0 : 1);
        String line = String.format(Locale.ROOT,
                "%,d events written in batches of %,d in %.2f s: %,.0f events/s under load; %d projections: %,.0f events/s "
                        + "projected in all; %d view readers: %,.0f view reads/s; counters %s",
                written, batchSize, writeNanos / 1e9, writeRate, projections, projectionRate, readers, readRate,
                mismatch == null && failure == null ? "match the events written" : "DO NOT MATCH");
        if (mismatch != null) {
            result.put("mismatch", mismatch);
            line += ": " + mismatch;
        }
        if (failure != null) {
            result.put("error", Workers.describe(failure));
            line += "; FAILED: " + Workers.describe(failure);
        }
        return result.summary(line);
    }

    /**
     * Every projection's stored views against the events written (or, if the run stopped early,
     * against the events it applied: the counters must still be exact).
     */
    private String check(List<CounterProjection> running, ViewStore readerStore, long written) {
        for (int p = 0; p < running.size(); p++) {
            CounterProjection projection = running.get(p);
            long events = stop.stopping() ? projection.total() : written;
            Map<String, Long> expected = new LinkedHashMap<>();
            if (!stop.stopping()) {
                for (long e = 0; e < Math.min(events, streams); e++) {
                    expected.put(stream(e, streams), events / streams + (e < events % streams ? 1 : 0));
                }
            }
            String problem = projection.check(readerStore.reader(container(p)), expected, events);
            if (problem != null) {
                return "projection " + p + ": " + problem;
            }
        }
        return null;
    }

    private long commitPosition(PlatformClient client) {
        try (StoreReader reader = client.reader()) {
            return reader.commitPointer().position();
        } catch (StoreNotFoundException e) {
            return 0;
        }
    }

    private static Exception firstOf(Exception... failures) {
        for (Exception failure : failures) {
            if (failure != null) {
                return failure;
            }
        }
        return null;
    }
}
