package io.dataplatform.samples.continuous;

import io.dataplatform.samples.continuous.dump.BadRowException;
import io.dataplatform.samples.continuous.dump.DumpFile;
import io.dataplatform.samples.continuous.dump.EventBuffer;
import io.dataplatform.samples.continuous.dump.RowSource;
import io.dataplatform.samples.continuous.dump.XmlParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bench-parse --dump DIR}: reads each file of a dump with each parser, in turns, rows
 * decoded and encoded into a buffer (not stored); prints rows/s, MB/s and the thread's CPU time per
 * row and per MB of the best of the rounds (rounds interleave the parsers).
 */
@Command(name = "bench-parse", mixinStandardHelpOptions = true,
        description = "Measures the ways of reading a dump (JDK, Woodstox, Aalto StAX parsers, the fast scanner) on a dump: rows/s, MB/s, CPU per row and per MB, per file.")
final class BenchParseCommand implements Callable<Integer> {
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    @Option(names = "--dump", required = true, description = "Directory holding the dump.")
    Path dump;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds; the best one counts (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--parsers", split = ",", defaultValue = "jdk,woodstox,aalto,fast", description = "Parsers to measure.")
    List<XmlParser> parsers;

    @Option(names = "--scan-only", description = "Read rows without encoding their events (the parsing stage alone; "
            + "the difference to a run without it is the encoding stage).")
    boolean scanOnly;

    private long parse(Path file, DumpFile kind, XmlParser parser) throws java.io.IOException {
        long rows = 0;
        long sink = 0;
        EventBuffer buffer = new EventBuffer(16 << 20);
        try (RowSource reader = RowSource.open(file, kind, parser)) {
            while (reader.next()) {
                rows++;
                if (scanOnly) {
                    sink += reader.number();
                    continue;
                }
                try {
                    sink += reader.encode(buffer);
                } catch (BadRowException e) {
                    sink--;
                }
                if (buffer.used() > 15 << 20) {
                    buffer.renew();
                }
            }
        }
        return sink == Long.MIN_VALUE ? -rows : rows;
    }

    @Override
    public Integer call() throws Exception {
        for (DumpFile kind : DumpFile.values()) {
            Path file = dump.resolve(kind.fileName());
            if (!Files.isRegularFile(file)) {
                continue;
            }
            double size = Files.size(file);
            double[] best = new double[parsers.size()];
            double[] bestCpu = new double[parsers.size()];
            java.util.Arrays.fill(best, Double.MAX_VALUE);
            long rows = 0;
            // rounds interleave the parsers, so that a busy spell of a shared machine hits them all
            for (int round = 0; round < rounds; round++) {
                for (int p = 0; p < parsers.size(); p++) {
                    long start = System.nanoTime();
                    long cpu = THREADS.getCurrentThreadCpuTime();
                    rows = parse(file, kind, parsers.get(p));
                    double seconds = (System.nanoTime() - start) / 1e9;
                    if (seconds < best[p]) {
                        best[p] = seconds;
                        bestCpu[p] = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
                    }
                }
            }
            for (int p = 0; p < parsers.size(); p++) {
                System.out.printf("%-12s %-8s %,10d rows %8.2f s %,12.0f rows/s %8.1f MB/s  CPU %.2f s: %.3f us/row, %.2f ms/MB%n",
                        kind.fileName(), parsers.get(p).name().toLowerCase(), rows, best[p], rows / best[p],
                        size / 1e6 / best[p], bestCpu[p], bestCpu[p] * 1e6 / rows, bestCpu[p] * 1e3 / (size / 1e6));
            }
        }
        return 0;
    }
}
