package io.dataplatform.samples.continuous;

import io.dataplatform.samples.continuous.dump.BadRowException;
import io.dataplatform.samples.continuous.dump.DumpFile;
import io.dataplatform.samples.continuous.dump.DumpFileReader;
import io.dataplatform.samples.continuous.dump.DumpRow;
import io.dataplatform.samples.continuous.dump.XmlParser;
import io.dataplatform.samples.continuous.events.DumpEvent;
import io.dataplatform.samples.continuous.events.EventCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bench-codec --dump DIR}: encodes and decodes the first rows of each dump file with the
 * binary and the JSON event forms; prints events/s each way and bytes per event.
 */
@Command(name = "bench-codec", mixinStandardHelpOptions = true,
        description = "Measures the binary and JSON event forms: encode and decode events/s, bytes per event.")
final class BenchCodecCommand implements Callable<Integer> {
    @Option(names = "--dump", required = true, description = "Directory holding the dump.")
    Path dump;

    @Option(names = "--rows", defaultValue = "100000", description = "Rows of each file to measure (held in memory) (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--rounds", defaultValue = "5", description = "Rounds; the best one counts (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() throws Exception {
        for (DumpFile kind : DumpFile.values()) {
            Path file = dump.resolve(kind.fileName());
            if (!Files.isRegularFile(file)) {
                continue;
            }
            List<DumpEvent> events = new ArrayList<>();
            try (DumpFileReader reader = new DumpFileReader(file, XmlParser.AALTO)) {
                DumpRow row;
                while (events.size() < rows && (row = reader.next()) != null) {
                    try {
                        events.add(kind.decode(row));
                    } catch (BadRowException ignored) {
                        // not measured
                    }
                }
            }
            String stream = events.get(0).stream();
            EventCodec[] codecs = {EventCodec.binary(), EventCodec.json()};
            String[] forms = {"binary", "json"};
            double[] bestEncode = {Double.MAX_VALUE, Double.MAX_VALUE};
            double[] bestDecode = {Double.MAX_VALUE, Double.MAX_VALUE};
            long[] bytes = new long[2];
            byte[][] encoded = new byte[events.size()][];
            // rounds interleave the forms, so that a busy spell of a shared machine hits both
            for (int round = 0; round < rounds; round++) {
                for (int f = 0; f < codecs.length; f++) {
                    EventCodec codec = codecs[f];
                    long start = System.nanoTime();
                    bytes[f] = 0;
                    for (int i = 0; i < events.size(); i++) {
                        int length = codec.encode(events.get(i));
                        encoded[i] = Arrays.copyOf(codec.array(), length);
                        bytes[f] += length;
                    }
                    bestEncode[f] = Math.min(bestEncode[f], (System.nanoTime() - start) / 1e9);
                    start = System.nanoTime();
                    long sink = 0;
                    for (byte[] data : encoded) {
                        sink += codec.decode(stream, data).id();
                    }
                    bestDecode[f] = Math.min(bestDecode[f], (System.nanoTime() - start) / 1e9);
                    if (sink == 42) {
                        System.out.print("");
                    }
                }
            }
            for (int f = 0; f < codecs.length; f++) {
                System.out.printf("%-12s %-6s %,8d events %,7.0f bytes/event  encode %,11.0f events/s  decode %,11.0f events/s%n",
                        kind.fileName(), forms[f], events.size(), (double) bytes[f] / events.size(),
                        events.size() / bestEncode[f], events.size() / bestDecode[f]);
            }
        }
        return 0;
    }
}
