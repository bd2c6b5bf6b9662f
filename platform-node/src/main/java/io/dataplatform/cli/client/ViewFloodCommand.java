package io.dataplatform.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataplatform.views.ViewContainer;
import io.dataplatform.views.ViewReader;
import io.dataplatform.views.ViewStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code client view-flood} (the original's VRWFL): one writer rewrites views (durable, through the
 * container's journal) while reader threads read them through a second, uncached view store, as
 * a reader in another process would. A read failure is an error or a document that is not whole.
 */
@Command(name = "view-flood", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"One thread writes --repeat view documents of --size bytes over --keys keys (each write durable),",
                "while --readers threads read random keys through an uncached view store (every read goes to the file).",
                "Views go to --views, else <--location>/.views, else a temporary directory.",
                "Prints view writes/s, reads/s and read failures (errors or torn documents; must be 0)."})
final class ViewFloodCommand extends ClientSubcommand {

    static final String CONTAINER = "view-flood";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--size", defaultValue = "1000", description = "Bytes per view document (default ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--repeat", defaultValue = "1000", description = "View writes (default ${DEFAULT-VALUE}).")
    long repeat;

    @Option(names = "--keys", defaultValue = "100", description = "Distinct view keys, written in turn (default ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--readers", defaultValue = "2", description = "Reader threads (default ${DEFAULT-VALUE}).")
    int readers;

    @Mixin
    ViewLocation viewLocation = new ViewLocation();

    @Override
    CommandResult execute() throws Exception {
        require(size >= 64, "--size must be at least 64 bytes");
        require(repeat >= 0, "--repeat must not be negative");
        require(keys >= 1, "--keys must be at least 1");
        require(readers >= 0, "--readers must not be negative");
        AtomicLong writes = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        AtomicLong misses = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicBoolean writing = new AtomicBoolean(true);
        LatencyHistogram writeLatency = new LatencyHistogram();
        long nanos;
        long readNanos;
        String where;
        Exception failure;
        try (BenchViews bench = viewLocation.open(); ViewStore readerStore = bench.uncachedReaders();
             Progress progress = progress("view writes")) {
            where = bench.isTemporary() ? "a temporary directory" : bench.location();
            ViewContainer container = bench.store().container(CONTAINER);
            ViewReader reader = readerStore.reader(CONTAINER);
            Workers readerThreads = new Workers(stop).start("view-flood-reader", readers, r -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (writing.get() && !stop.stopping()) {
                    String key = key(random.nextInt(keys));
                    try {
                        byte[] document = reader.readBytes(key);
                        if (document == null) {
                            misses.incrementAndGet();
                        } else if (!isWhole(document, key)) {
                            failures.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                    reads.incrementAndGet();
                }
            });
            long start = System.nanoTime();
            try {
                for (long i = 0; i < repeat && !stop.stopping(); i++) {
                    String key = key((int) (i % keys));
                    byte[] document = document(key, i, size);
                    long t0 = System.nanoTime();
                    container.writeBytes(key, document);
                    writeLatency.record(System.nanoTime() - t0);
                    writes.incrementAndGet();
                    progress.add(1);
                }
                failure = null;
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                nanos = System.nanoTime() - start;
                writing.set(false);
                readerThreads.join();
                readNanos = System.nanoTime() - start;
            }
            if (failure == null) {
                failure = readerThreads.failure();
            }
        }
        double writeRate = CommandResult.perSecond(writes.get(), nanos);
        double readRate = CommandResult.perSecond(reads.get(), readNanos);
        boolean ok = failure == null && failures.get() == 0;
        CommandResult.Builder result = CommandResult.of(name())
                .put("size", size).put("keys", keys).put("readers", readers).put("writes", writes.get())
                .put("reads", reads.get()).put("readMisses", misses.get()).put("readFailures", failures.get())
                .put("seconds", CommandResult.round(nanos / 1e9)).put("writesPerSecond", writeRate)
                .put("readsPerSecond", readRate)
                .put("writeLatencyP50Ms", CommandResult.round(writeLatency.percentileMillis(50)))
                .put("writeLatencyP99Ms", CommandResult.round(writeLatency.percentileMillis(99)))
                .partial(writes.get() < repeat).exitCode(ok ? 0 : 1);
        String line = String.format(Locale.ROOT,
                "%,d view writes of %d bytes over %d keys in %.2f s: %,.0f writes/s (p50 %.2f ms, p99 %.2f ms); "
                        + "%d readers: %,d reads, %,.0f reads/s, %d read failures; views in %s",
                writes.get(), size, keys, nanos / 1e9, writeRate, writeLatency.percentileMillis(50),
                writeLatency.percentileMillis(99), readers, reads.get(), readRate, failures.get(), where);
        if (failure != null) {
            result.put("error", Workers.describe(failure));
            line += "; FAILED: " + Workers.describe(failure);
        }
        return result.summary(line);
    }

    static String key(int index) {
        return "flood/k" + index;
    }

    /** A JSON document of about {@code size} bytes naming its key and sequence number. */
    static byte[] document(String key, long seq, int size) {
        String head = "{\"key\":\"" + key + "\",\"seq\":" + seq + ",\"pad\":\"";
        int pad = Math.max(0, size - head.length() - 2);
        return (head + "x".repeat(pad) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** Whether a document read back is one that was written whole, under this key. */
    static boolean isWhole(byte[] document, String key) {
        try {
            JsonNode node = JSON.readTree(document);
            return node != null && key.equals(node.path("key").asText()) && node.path("seq").isIntegralNumber()
                    && node.path("pad").isTextual();
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
