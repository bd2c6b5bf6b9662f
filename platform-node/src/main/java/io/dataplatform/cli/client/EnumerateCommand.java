package io.dataplatform.cli.client;

import io.dataplatform.client.PlatformClient;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.ReadLimits;
import io.dataplatform.store.StoreReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;

/**
 * {@code client enumerate} (the original's EN): reads a store from a position up to its commit
 * pointer as it was at the start, in batches, directly from storage or over HTTP.
 */
@Command(name = "enumerate", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Reads events from --from up to the commit pointer (as it was at the start), or --max events.",
                "Reads the files directly with --location, else over HTTP from --node. Every checksum is verified.",
                "Prints events/s and MB/s of log read (records with headers, 10^6 bytes), and the client's CPU (cores)."})
final class EnumerateCommand extends StoreCommand {

    @Option(names = "--from", defaultValue = "0", description = "Position to start from (default ${DEFAULT-VALUE}).")
    long from;

    @Option(names = "--max", defaultValue = "-1", description = "Read at most this many events; -1 for all (default).")
    long max;

    @Option(names = "--batch", defaultValue = "100000",
            description = "Most events per read (default ${DEFAULT-VALUE}, the node's limit; --max-bytes usually bounds a read first).")
    int batchSize;

    @Option(names = "--max-bytes", defaultValue = "4194304",
            description = "Most bytes of records per read (default ${DEFAULT-VALUE}; at most 16 MiB).")
    int maxBytes = 4 * 1024 * 1024;

    @Override
    CommandResult execute() throws Exception {
        require(from >= 0, "--from must not be negative");
        require(batchSize >= 1, "--batch must be at least 1");
        require(maxBytes >= 1 && maxBytes <= ReadLimits.MAX_BYTES, "--max-bytes must be between 1 and " + ReadLimits.MAX_BYTES);
        long limit = max < 0 ? Long.MAX_VALUE : max;
        long events = 0;
        long bytes = 0;
        long lastVersion = 0;
        long position = from;
        long start = System.nanoTime();
        ProcessCpu cpu = ProcessCpu.start();
        CommitPointer end;
        try (PlatformClient client = readerClient(); StoreReader reader = client.reader();
             Progress progress = progress("events")) {
            end = reader.commitPointer();
            while (events < limit && position < end.position() && !stop.stopping()) {
                int wanted = (int) Math.min(batchSize, limit - events);
                EventBatch batch = reader.read(position, wanted, maxBytes);
                if (batch.isEmpty()) {
                    break;
                }
                int take = batch.size();
                while (take > 0 && batch.next(take - 1) > end.position()) {
                    take--; // committed after the start: outside this run
                }
                if (take == 0) {
                    break;
                }
                events += take;
                bytes += batch.next(take - 1) - batch.from();
                lastVersion = batch.version(take - 1);
                position = batch.next(take - 1);
                progress.add(take);
            }
        }
        long nanos = System.nanoTime() - start;
        double cores = cpu.cores();
        double rate = CommandResult.perSecond(events, nanos);
        double megabytes = CommandResult.megabytesPerSecond(bytes, nanos);
        boolean complete = events >= limit || position >= end.position();
        String source = location != null ? "directly" : "over HTTP";
        return CommandResult.of(name())
                .put("store", store).put("source", location != null ? "direct" : "http").put("from", from)
                .put("events", events).put("bytes", bytes).put("lastVersion", lastVersion).put("next", position)
                .put("seconds", CommandResult.round(nanos / 1e9)).put("eventsPerSecond", rate)
                .put("megabytesPerSecond", megabytes).put("clientCpuCores", cores).partial(!complete)
                .summary(String.format(Locale.ROOT,
                        "%,d events (%,d bytes) read %s from %d to %d in %.2f s: %,.0f events/s, %.2f MB/s, last version %d; client CPU %.2f cores",
                        events, bytes, source, from, position, nanos / 1e9, rate, megabytes, lastVersion, cores));
    }
}
