package io.dataplatform.cli.client;

import io.dataplatform.client.AppendOptions;
import io.dataplatform.client.PlatformClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code client write-flood} (the original's WRFL): threads appending single events through the
 * client library, which gathers concurrent appends into batch requests, as fast as the node
 * acknowledges them durable. Each thread waits for each append ({@code --in-flight 1}), or keeps up
 * to {@code --in-flight} appends outstanding through the asynchronous API. Reports the client
 * JVM's CPU beside the rate.
 */
@Command(name = "write-flood", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Appends single events (acknowledged when durable) from several threads through the client library,",
                "which batches concurrent appends into one request. Prints events/s in total and per thread, latency",
                "p50/p99/max of the appends, and the client's CPU (cores)."})
final class WriteFloodCommand extends StoreCommand {

    @Option(names = "--threads", defaultValue = "4", description = "Writer threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--count", defaultValue = "10000",
            description = "Events in total, shared among the threads (default ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--size", defaultValue = "100", description = "Bytes of data per event (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--in-flight", defaultValue = "1",
            description = "Appends each thread keeps outstanding: 1 waits for each (default), more use appendAsync.")
    int inFlight = 1;

    @Option(names = "--linger-ms", defaultValue = "0", description = "The client's batching linger, ms (default ${DEFAULT-VALUE}).")
    int lingerMs;

    @Option(names = "--max-batch-bytes", defaultValue = "1048576",
            description = "The client's largest batch request, bytes (default ${DEFAULT-VALUE}).")
    int maxBatchBytes = AppendOptions.DEFAULT.maxBatchBytes();

    @Override
    CommandResult execute() throws Exception {
        require(threads >= 1, "--threads must be at least 1");
        require(inFlight >= 1, "--in-flight must be at least 1");
        require(lingerMs >= 0, "--linger-ms must not be negative");
        require(maxBatchBytes >= 1 && maxBatchBytes <= AppendOptions.MAX_BATCH_BYTES,
                "--max-batch-bytes must be between 1 and " + AppendOptions.MAX_BATCH_BYTES);
        require(count >= 0, "--count must not be negative");
        require(size >= 0, "--size must not be negative");
        long[] written = new long[threads];
        long[] elapsed = new long[threads];
        LatencyHistogram[] latencies = new LatencyHistogram[threads];
        Workers workers = new Workers(stop);
        long start = System.nanoTime();
        ProcessCpu cpu = ProcessCpu.start();
        AppendOptions options = AppendOptions.DEFAULT.withLinger(Duration.ofMillis(lingerMs)).withMaxBatchBytes(maxBatchBytes);
        try (PlatformClient base = writer(); PlatformClient client = base.withAppendOptions(options);
             Progress progress = progress("events")) {
            workers.start("write-flood", threads, t -> {
                long share = count / threads + (t < count % threads ? 1 : 0);
                String stream = "write-flood-" + t;
                LatencyHistogram histogram = new LatencyHistogram();
                latencies[t] = histogram;
                long threadStart = System.nanoTime();
                try {
                    if (inFlight == 1) {
                        byte[] data = new byte[size]; // reused: an append copies its data
                        for (long i = 0; i < share && !stop.stopping(); i++) {
                            payload(data, i);
                            long t0 = System.nanoTime();
                            client.append(stream, data);
                            histogram.record(System.nanoTime() - t0);
                            written[t]++;
                            progress.add(1);
                        }
                    } else {
                        appendPipelined(client, stream, share, histogram, written, t, progress);
                    }
                } finally {
                    elapsed[t] = System.nanoTime() - threadStart;
                }
            });
            workers.join();
        }
        long nanos = System.nanoTime() - start;
        double cores = cpu.cores();
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
                .put("inFlight", inFlight).put("lingerMs", lingerMs).put("maxBatchBytes", maxBatchBytes)
                .put("clientCpuCores", cores)
                .partial(total < count);
        String line = String.format(Locale.ROOT,
                "%,d events of %d bytes by %d threads (%d in flight each) in %.2f s: %,.0f events/s (%,.0f per thread), latency p50 %.2f ms p99 %.2f ms max %.2f ms; client CPU %.2f cores",
                total, size, threads, inFlight, nanos / 1e9, rate, meanPerThread, all.percentileMillis(50),
                all.percentileMillis(99), all.maxNanos() / 1e6, cores);
        if (failure != null) {
            return result.put("error", Workers.describe(failure)).exitCode(1)
                    .summary(line + "; FAILED: " + Workers.describe(failure));
        }
        return result.summary(line);
    }

    /**
     * One thread's appends through {@code appendAsync}, at most {@code --in-flight} outstanding:
     * each latency runs from the call to the completion of its future.
     */
    private void appendPipelined(PlatformClient client, String stream, long share, LatencyHistogram histogram,
                                 long[] written, int t, Progress progress) throws Exception {
        Semaphore window = new Semaphore(inFlight);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        AtomicLong done = new AtomicLong();
        byte[] data = new byte[size]; // reused: appendAsync copies the data before it returns
        for (long i = 0; i < share && !stop.stopping() && failed.get() == null; i++) {
            payload(data, i);
            window.acquire();
            long t0 = System.nanoTime();
            client.appendAsync(stream, data).whenComplete((r, e) -> {
                if (e != null) {
                    failed.compareAndSet(null, e);
                } else {
                    long latency = System.nanoTime() - t0;
                    synchronized (histogram) {
                        histogram.record(latency);
                    }
                    done.incrementAndGet();
                    progress.add(1);
                }
                window.release();
            });
        }
        window.acquire(inFlight); // every outstanding append answered
        written[t] = done.get();
        Throwable failure = failed.get();
        if (failure instanceof Exception e) {
            throw e;
        } else if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }
}
