package io.dataplatform.cli.client;

import io.dataplatform.client.PlatformClient;
import io.dataplatform.store.AppendResult;
import io.dataplatform.store.NewEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code client batch-flood} (the original's WBFL): threads appending batches of events, each
 * batch one atomic {@code POST /stores/{store}/events} of binary frames.
 */
@Command(name = "batch-flood", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Appends batches of events (one atomic POST of binary frames each) from several threads.",
                "Prints events/s, MB/s of event data (10^6 bytes) and MB/s of log written (records with headers)."})
final class BatchFloodCommand extends StoreCommand {

    @Option(names = "--threads", defaultValue = "2", description = "Writer threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--batches", defaultValue = "100",
            description = "Batches in total, shared among the threads (default ${DEFAULT-VALUE}).")
    long batches;

    @Option(names = "--batch-size", defaultValue = "1000", description = "Events per batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--size", defaultValue = "100", description = "Bytes of data per event (default ${DEFAULT-VALUE}).")
    int size;

    @Override
    CommandResult execute() throws Exception {
        require(threads >= 1, "--threads must be at least 1");
        require(batches >= 0, "--batches must not be negative");
        require(batchSize >= 1, "--batch-size must be at least 1");
        require(size >= 0, "--size must not be negative");
        AtomicLong events = new AtomicLong();
        AtomicLong batchesDone = new AtomicLong();
        AtomicLong logBytes = new AtomicLong();
        LatencyHistogram[] latencies = new LatencyHistogram[threads];
        Workers workers = new Workers(stop);
        long start = System.nanoTime();
        ProcessCpu cpu = ProcessCpu.start();
        try (PlatformClient client = writer(); Progress progress = progress("events")) {
            workers.start("batch-flood", threads, t -> {
                long share = batches / threads + (t < batches % threads ? 1 : 0);
                LatencyHistogram histogram = new LatencyHistogram();
                latencies[t] = histogram;
                List<NewEvent> batch = new ArrayList<>(batchSize);
                for (long b = 0; b < share && !stop.stopping(); b++) {
                    batch.clear();
                    for (int i = 0; i < batchSize; i++) {
                        batch.add(new NewEvent("batch-flood-" + t, payload(size, b * batchSize + i)));
                    }
                    long t0 = System.nanoTime();
                    AppendResult appended = client.append(batch);
                    histogram.record(System.nanoTime() - t0);
                    events.addAndGet(appended.count());
                    logBytes.addAndGet(appended.next() - appended.position());
                    batchesDone.incrementAndGet();
                    progress.add(appended.count());
                }
            });
            workers.join();
        }
        long nanos = System.nanoTime() - start;
        double cores = cpu.cores();
        LatencyHistogram all = new LatencyHistogram();
        for (LatencyHistogram histogram : latencies) {
            if (histogram != null) {
                all.add(histogram);
            }
        }
        long total = events.get();
        long dataBytes = total * size;
        double rate = CommandResult.perSecond(total, nanos);
        double megabytes = CommandResult.megabytesPerSecond(dataBytes, nanos);
        double logMegabytes = CommandResult.megabytesPerSecond(logBytes.get(), nanos);
        CommandResult.Builder result = CommandResult.of(name())
                .put("store", store).put("threads", threads).put("batchSize", batchSize).put("size", size)
                .put("batches", batchesDone.get()).put("events", total).put("dataBytes", dataBytes)
                .put("logBytes", logBytes.get()).put("seconds", CommandResult.round(nanos / 1e9))
                .put("eventsPerSecond", rate).put("megabytesPerSecond", megabytes)
                .put("logMegabytesPerSecond", logMegabytes)
                .put("batchLatencyP50Ms", CommandResult.round(all.percentileMillis(50)))
                .put("batchLatencyP99Ms", CommandResult.round(all.percentileMillis(99)))
                .put("clientCpuCores", cores)
                .partial(batchesDone.get() < batches);
        String line = String.format(Locale.ROOT,
                "%,d events in %,d batches of %,d x %d bytes by %d threads in %.2f s: %,.0f events/s, %.2f MB/s of data (%.2f MB/s of log), batch p50 %.1f ms p99 %.1f ms; client CPU %.2f cores",
                total, batchesDone.get(), batchSize, size, threads, nanos / 1e9, rate, megabytes, logMegabytes,
                all.percentileMillis(50), all.percentileMillis(99), cores);
        Exception failure = workers.failure();
        if (failure != null) {
            return result.put("error", Workers.describe(failure)).exitCode(1)
                    .summary(line + "; FAILED: " + Workers.describe(failure));
        }
        return result.summary(line);
    }
}
