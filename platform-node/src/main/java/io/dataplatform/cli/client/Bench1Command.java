package io.dataplatform.cli.client;

import io.dataplatform.node.Node;
import io.dataplatform.node.NodeConfig;
import io.dataplatform.store.Durability;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code client bench1} (the original's BENCH1): starts a node in this JVM on a temporary directory
 * and a free port, runs every client command against it with fixed parameters, prints a table,
 * stops the node and deletes the directory.
 */
@Command(name = "bench1", mixinStandardHelpOptions = true, usageHelpWidth = 120, sortOptions = false,
        description = {"Starts a node in this JVM (temporary directory, free port, durability sync by default), runs",
                "write-flood, batch-flood, enumerate, view-flood, pointer-flood, smartapp-bench and verify against it,",
                "prints a table, stops the node and deletes the directory. The defaults take well under a minute on",
                "2 cores; every parameter can be changed. Exit code 1 if any command reports a problem."})
final class Bench1Command extends ClientSubcommand {

    @Option(names = "--durability", defaultValue = "sync", description = "The node's durability: sync or none (default ${DEFAULT-VALUE}).")
    String durability;

    @Option(names = "--write-threads", defaultValue = "4", description = "write-flood --threads (default ${DEFAULT-VALUE}).")
    int writeThreads;
    @Option(names = "--write-count", defaultValue = "2000", description = "write-flood --count (default ${DEFAULT-VALUE}).")
    long writeCount;
    @Option(names = "--write-size", defaultValue = "100", description = "write-flood --size (default ${DEFAULT-VALUE}).")
    int writeSize;

    @Option(names = "--batch-threads", defaultValue = "2", description = "batch-flood --threads (default ${DEFAULT-VALUE}).")
    int batchThreads;
    @Option(names = "--batches", defaultValue = "200", description = "batch-flood --batches (default ${DEFAULT-VALUE}).")
    long batches;
    @Option(names = "--batch-size", defaultValue = "1000", description = "batch-flood --batch-size (default ${DEFAULT-VALUE}).")
    int batchSize;
    @Option(names = "--batch-event-size", defaultValue = "100", description = "batch-flood --size (default ${DEFAULT-VALUE}).")
    int batchEventSize;

    @Option(names = "--view-size", defaultValue = "1000", description = "view-flood --size (default ${DEFAULT-VALUE}).")
    int viewSize;
    @Option(names = "--view-repeat", defaultValue = "1000", description = "view-flood --repeat (default ${DEFAULT-VALUE}).")
    long viewRepeat;
    @Option(names = "--view-readers", defaultValue = "2", description = "view-flood --readers (default ${DEFAULT-VALUE}).")
    int viewReaders;

    @Option(names = "--pointer-count", defaultValue = "1000", description = "pointer-flood --count (default ${DEFAULT-VALUE}).")
    long pointerCount;

    @Option(names = "--sabench-batches", defaultValue = "100", description = "smartapp-bench --batches (default ${DEFAULT-VALUE}).")
    long sabenchBatches;
    @Option(names = "--sabench-batch-size", defaultValue = "1000", description = "smartapp-bench --batch-size (default ${DEFAULT-VALUE}).")
    int sabenchBatchSize;
    @Option(names = "--sabench-projections", defaultValue = "2", description = "smartapp-bench --projections (default ${DEFAULT-VALUE}).")
    int sabenchProjections;
    @Option(names = "--sabench-readers", defaultValue = "2", description = "smartapp-bench --readers (default ${DEFAULT-VALUE}).")
    int sabenchReaders;

    private record Row(String test, String parameters, CommandResult result) {
    }

    @Override
    CommandResult execute() throws Exception {
        Durability nodeDurability;
        try {
            nodeDurability = Durability.valueOf(durability.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--durability is 'sync' or 'none', not '" + durability + "'");
        }
        Path directory = Files.createTempDirectory("dp-bench1-");
        List<Row> rows = new ArrayList<>();
        long start = System.nanoTime();
        try (Node node = Node.start(NodeConfig.defaults().withStoreLocation(directory.toString()).withPort(0)
                .withDurability(nodeDurability))) {
            err.println("bench1: node on " + node.endpoint() + " over " + directory + " (durability "
                    + durability + ")");
            err.flush();
            runAll(node.endpoint(), directory.toString(), rows);
        } finally {
            BenchViews.deleteTree(directory);
        }
        long nanos = System.nanoTime() - start;
        boolean ok = rows.stream().allMatch(row -> row.result().exitCode() == 0);
        boolean partial = stop.stopping() || rows.stream().anyMatch(row -> row.result().partial());
        List<Map<String, Object>> results = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("test", row.test());
            entry.put("parameters", row.parameters());
            entry.put("summary", row.result().summary());
            entry.put("exitCode", row.result().exitCode());
            entry.putAll(row.result().values());
            results.add(entry);
        }
        return CommandResult.of(name()).put("durability", durability).put("seconds", CommandResult.round(nanos / 1e9))
                .put("results", results).partial(partial).exitCode(ok ? 0 : 1)
                .summary(String.format(Locale.ROOT, "%d tests in %.1f s, %s, node durability %s%n%s", rows.size(), nanos / 1e9,
                        ok ? "all ok" : "PROBLEMS", durability, table(rows)));
    }

    private void runAll(URI endpoint, String location, List<Row> rows) throws Exception {
        WriteFloodCommand write = new WriteFloodCommand();
        target(write, endpoint, location, "bench1-wrfl");
        write.threads = writeThreads;
        write.count = writeCount;
        write.size = writeSize;
        run(rows, write, "WRFL write-flood", write.threads + " threads, " + write.count + " events x " + write.size + " B");

        BatchFloodCommand batch = new BatchFloodCommand();
        target(batch, endpoint, location, "bench1-wbfl");
        batch.threads = batchThreads;
        batch.batches = batches;
        batch.batchSize = batchSize;
        batch.size = batchEventSize;
        run(rows, batch, "WBFL batch-flood", batch.threads + " threads, " + batch.batches + " batches x "
                + batch.batchSize + " events x " + batch.size + " B");

        EnumerateCommand enumerate = new EnumerateCommand();
        target(enumerate, endpoint, location, "bench1-wbfl");
        enumerate.from = 0;
        enumerate.max = -1;
        enumerate.batchSize = 10_000;
        run(rows, enumerate, "EN enumerate", "all of bench1-wbfl, direct file reads");

        ViewFloodCommand viewFlood = new ViewFloodCommand();
        viewFlood.viewLocation.location = location;
        viewFlood.size = viewSize;
        viewFlood.repeat = viewRepeat;
        viewFlood.keys = 100;
        viewFlood.readers = viewReaders;
        run(rows, viewFlood, "VRWFL view-flood", viewFlood.repeat + " writes x " + viewFlood.size + " B, 100 keys, "
                + viewFlood.readers + " readers");

        PointerFloodCommand pointer = new PointerFloodCommand();
        pointer.viewLocation.location = location;
        pointer.count = pointerCount;
        run(rows, pointer, "EPFL pointer-flood", pointer.count + " checkpoint commits");

        SmartAppBenchCommand smartApp = new SmartAppBenchCommand();
        target(smartApp, endpoint, location, "bench1-sabench");
        smartApp.batches = sabenchBatches;
        smartApp.batchSize = sabenchBatchSize;
        smartApp.size = 100;
        smartApp.streams = 16;
        smartApp.projections = sabenchProjections;
        smartApp.readers = sabenchReaders;
        smartApp.views = Path.of(location).resolve(".sabench-views").toString();
        run(rows, smartApp, "SABENCH1 smartapp-bench", smartApp.batches + " batches x " + smartApp.batchSize
                + " events, " + smartApp.projections + " projections, " + smartApp.readers + " readers");

        for (String store : List.of("bench1-wrfl", "bench1-wbfl", "bench1-sabench")) {
            VerifyCommand verify = new VerifyCommand();
            target(verify, endpoint, location, store);
            run(rows, verify, "verify", store);
        }
    }

    private static void target(StoreCommand command, URI endpoint, String location, String store) {
        command.node = endpoint;
        command.location = location;
        command.store = store;
    }

    private void run(List<Row> rows, ClientSubcommand command, String test, String parameters) throws Exception {
        if (stop.stopping()) {
            return;
        }
        err.println("bench1: " + test + " (" + parameters + ")");
        err.flush();
        CommandResult result = command.executeWithin(stop, err, quiet);
        rows.add(new Row(test, parameters, result));
    }

    /** The figures that matter per test, in a fixed-width table. */
    static String table(List<Row> rows) {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"test", "parameters", "result", "s", "ok"});
        for (Row row : rows) {
            CommandResult r = row.result();
            lines.add(new String[] {row.test(), row.parameters(), headline(row.test(), r),
                    String.format(Locale.ROOT, "%.1f", r.number("seconds")),
                    (r.exitCode() == 0 ? "ok" : "FAIL") + (r.partial() ? " (partial)" : "")});
        }
        int[] widths = new int[5];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int l = 0; l < lines.size(); l++) {
            String[] line = lines.get(l);
            for (int i = 0; i < line.length; i++) {
                out.append(i == 0 ? "| " : " | ").append(String.format("%-" + widths[i] + "s", line[i]));
            }
            out.append(" |\n");
            if (l == 0) {
                for (int i = 0; i < widths.length; i++) {
                    out.append(i == 0 ? "|-" : "-|-").append("-".repeat(widths[i]));
                }
                out.append("-|\n");
            }
        }
        return out.toString().stripTrailing();
    }

    private static String headline(String test, CommandResult r) {
        return switch (r.command()) {
            case "write-flood" -> String.format(Locale.ROOT, "%,.0f events/s (%,.0f/thread), p50 %.2f ms, p99 %.2f ms",
                    r.number("eventsPerSecond"), r.number("eventsPerSecondPerThread"), r.number("latencyP50Ms"),
                    r.number("latencyP99Ms"));
            case "batch-flood" -> String.format(Locale.ROOT, "%,.0f events/s, %.1f MB/s data", r.number("eventsPerSecond"),
                    r.number("megabytesPerSecond"));
            case "enumerate" -> String.format(Locale.ROOT, "%,.0f events, %,.0f events/s, %.1f MB/s", r.number("events"),
                    r.number("eventsPerSecond"), r.number("megabytesPerSecond"));
            case "view-flood" -> String.format(Locale.ROOT, "%,.0f writes/s, %,.0f reads/s, %.0f read failures",
                    r.number("writesPerSecond"), r.number("readsPerSecond"), r.number("readFailures"));
            case "pointer-flood" -> String.format(Locale.ROOT, "%,.0f checkpoint commits/s, p50 %.2f ms",
                    r.number("commitsPerSecond"), r.number("latencyP50Ms"));
            case "smartapp-bench" -> String.format(Locale.ROOT,
                    "write %,.0f events/s, projections %,.0f events/s, %,.0f view reads/s, counters %s",
                    r.number("writeEventsPerSecond"), r.number("projectionEventsPerSecond"), r.number("viewReadsPerSecond"),
                    Boolean.TRUE.equals(r.values().get("countersMatch")) ? "match" : "DIFFER");
            case "verify" -> r.exitCode() == 0
                    ? String.format(Locale.ROOT, "%,.0f events, %,.0f bytes, last version %.0f", r.number("events"),
                    r.number("bytes"), r.number("lastVersion"))
                    : "PROBLEM: " + r.values().get("problem");
            default -> r.summary();
        };
    }
}
