package io.dataplatform.samples.continuous;

import io.dataplatform.samples.continuous.dump.BadRowException;
import io.dataplatform.samples.continuous.dump.DumpFile;
import io.dataplatform.samples.continuous.dump.DumpFileReader;
import io.dataplatform.samples.continuous.dump.DumpRow;
import io.dataplatform.samples.continuous.dump.XmlParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bench-parse --dump DIR}: reads each file of a dump with each StAX parser, in turns,
 * rows decoded into events but not encoded; prints rows/s and MB/s of the best of the rounds (rounds interleave the parsers).
 */
@Command(name = "bench-parse", mixinStandardHelpOptions = true,
        description = "Measures the XML parsers (JDK, Woodstox, Aalto) on a dump: rows/s and MB/s per file.")
final class BenchParseCommand implements Callable<Integer> {
    @Option(names = "--dump", required = true, description = "Directory holding the dump.")
    Path dump;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds; the best one counts (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--parsers", split = ",", defaultValue = "jdk,woodstox,aalto", description = "Parsers to measure.")
    List<XmlParser> parsers;

    private static long parse(Path file, DumpFile kind, XmlParser parser) throws java.io.IOException {
        long rows = 0;
        long sink = 0;
        try (DumpFileReader reader = new DumpFileReader(file, parser)) {
            DumpRow row;
            while ((row = reader.next()) != null) {
                rows++;
                try {
                    sink += kind.decode(row).id();
                } catch (BadRowException e) {
                    sink--;
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
            java.util.Arrays.fill(best, Double.MAX_VALUE);
            long rows = 0;
            // rounds interleave the parsers, so that a busy spell of a shared machine hits them all
            for (int round = 0; round < rounds; round++) {
                for (int p = 0; p < parsers.size(); p++) {
                    long start = System.nanoTime();
                    rows = parse(file, kind, parsers.get(p));
                    best[p] = Math.min(best[p], (System.nanoTime() - start) / 1e9);
                }
            }
            for (int p = 0; p < parsers.size(); p++) {
                System.out.printf("%-12s %-8s %,10d rows %8.2f s %,12.0f rows/s %8.1f MB/s%n", kind.fileName(),
                        parsers.get(p).name().toLowerCase(), rows, best[p], rows / best[p], size / 1e6 / best[p]);
            }
        }
        return 0;
    }
}
