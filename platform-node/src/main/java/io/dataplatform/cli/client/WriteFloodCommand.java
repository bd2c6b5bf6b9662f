package io.dataplatform.cli.client;

import io.dataplatform.client.PlatformClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code client write-flood} (the original's WRFL): threads appending single events, one HTTP
 * request each, as fast as the node acknowledges them.
 */
@Command(name = "write-flood", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Appends single events (one POST each, acknowledged when durable) from several threads.",
                "Prints events/s in total and per thread, and latency p50/p99/max of the appends."})
final class WriteFloodCommand extends StoreCommand {

    @Option(names = "--threads", defaultValue = "4", description = "Writer threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--count", defaultValue = "10000",
            description = "Events in total, shared among the threads (default ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--size", defaultValue = "100", description = "Bytes of data per event (default ${DEFAULT-VALUE}).")
    int size;

    @Override
    CommandResult execute() throws Exception {
        require(threads >= 1, "--threads must be at least 1");
        require(count >= 0, "--count must not be negative");
        require(size >= 0, "--size must not be negative");
        long[] written = new long[threads];
        long[] elapsed = new long[threads];
        LatencyHistogram[] latencies = new LatencyHistogram[threads];
        Workers workers = new Workers(stop);
        long start = System.nanoTime();
        try (PlatformClient client = writer(); Progress progress = progress("events")) {
            workers.start("write-flood", threads, t -> {
                long share = count / threads + (t < count % threads ? 1 : 0);
                String stream = "write-flood-" + t;
                LatencyHistogram histogram = new LatencyHistogram();
                latencies[t] = histogram;
                long threadStart = System.nanoTime();
                try {
                    for (long i = 0; i < share && !stop.stopping(); i++) {
                        byte[] data = payload(size, i);
                        long t0 = System.nanoTime();
                        client.append(stream, data);
                        histogram.record(System.nanoTime() - t0);
                        written[t]++;
                        progress.add(1);
                    }
                } finally {
                    elapsed[t] = System.nanoTime() - threadStart;
                }
            });
            workers.join();
        }
        long nanos = System.nanoTime() - start;
        LatencyHistogram all = new LatencyHistogram();
        long total = 0;
        List<Double> perThread = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            total += written[t];
            if (latencies[t] != null) {
                all.add(latencies[t]);
            }
            perThread.add(CommandResult.perSecond(written[t], elapsed[t]));
        }
        double rate = CommandResult.perSecond(total, nanos);
        double meanPerThread = CommandResult.round(perThread.stream().mapToDouble(Double::doubleValue).average().orElse(0));
        Exception failure = workers.failure();
        CommandResult.Builder result = CommandResult.of(name())
                .put("store", store).put("threads", threads).put("size", size).put("events", total)
                .put("seconds", CommandResult.round(nanos / 1e9)).put("eventsPerSecond", rate)
                .put("eventsPerSecondPerThread", meanPerThread).put("threadEventsPerSecond", perThread)
                .put("latencyP50Ms", CommandResult.round(all.percentileMillis(50)))
                .put("latencyP99Ms", CommandResult.round(all.percentileMillis(99)))
                .put("latencyMaxMs", CommandResult.round(all.maxNanos() / 1e6))
                .partial(total < count);
        String line = String.format(Locale.ROOT,
                "%,d events of %d bytes by %d threads in %.2f s: %,.0f events/s (%,.0f per thread), latency p50 %.2f ms p99 %.2f ms max %.2f ms",
                total, size, threads, nanos / 1e9, rate, meanPerThread, all.percentileMillis(50),
                all.percentileMillis(99), all.maxNanos() / 1e6);
        if (failure != null) {
            return result.put("error", Workers.describe(failure)).exitCode(1)
                    .summary(line + "; FAILED: " + Workers.describe(failure));
        }
        return result.summary(line);
    }
}
