package io.dataplatform.cli.client;

import io.dataplatform.views.Checkpoint;
import io.dataplatform.views.ViewContainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code client pointer-flood} (the original's EPFL, which wrote its event pointer): commits of a
 * projection checkpoint alone ({@code ViewContainer.commit} with no view changes), each durable,
 * as a projection saves its checkpoint after a batch.
 */
@Command(name = "pointer-flood", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Measures projection checkpoint writes: --count durable views-kv commits of a checkpoint alone",
                "(no view changes) to one container, one after the other. Views go to --views, else",
                "<--location>/.views, else a temporary directory. Prints checkpoint commits/s and latency p50/p99;",
                "checks that the checkpoint read back is the last one written."})
final class PointerFloodCommand extends ClientSubcommand {

    static final String CONTAINER = "pointer-flood";

    @Option(names = "--count", defaultValue = "1000", description = "Checkpoint commits (default ${DEFAULT-VALUE}).")
    long count;

    @Mixin
    ViewLocation viewLocation = new ViewLocation();

    @Override
    CommandResult execute() throws Exception {
        require(count >= 0, "--count must not be negative");
        LatencyHistogram latency = new LatencyHistogram();
        long written = 0;
        long nanos;
        long readBack;
        String where;
        try (BenchViews bench = viewLocation.open(); Progress progress = progress("checkpoints")) {
            where = bench.isTemporary() ? "a temporary directory" : bench.location();
            ViewContainer container = bench.store().container(CONTAINER);
            Checkpoint before = container.readCheckpoint();
            long base = before == null ? 0 : before.position();
            long start = System.nanoTime();
            for (long i = 1; i <= count && !stop.stopping(); i++) {
                long t0 = System.nanoTime();
                container.commit(List.of(), new Checkpoint(base + i, Map.of("command", "pointer-flood")));
                latency.record(System.nanoTime() - t0);
                written++;
                progress.add(1);
            }
            nanos = System.nanoTime() - start;
            Checkpoint after = container.readCheckpoint();
            readBack = (after == null ? 0 : after.position()) - base;
        }
        double rate = CommandResult.perSecond(written, nanos);
        boolean ok = readBack == written;
        String line = String.format(Locale.ROOT,
                "%,d checkpoint commits in %.2f s: %,.0f commits/s, latency p50 %.2f ms p99 %.2f ms; checkpoint read back %s; views in %s",
                written, nanos / 1e9, rate, latency.percentileMillis(50), latency.percentileMillis(99),
                ok ? "matches" : "is " + readBack + " commits on, not " + written, where);
        return CommandResult.of(name())
                .put("commits", written).put("seconds", CommandResult.round(nanos / 1e9)).put("commitsPerSecond", rate)
                .put("latencyP50Ms", CommandResult.round(latency.percentileMillis(50)))
                .put("latencyP99Ms", CommandResult.round(latency.percentileMillis(99)))
                .put("checkpointMatches", ok)
                .partial(written < count).exitCode(ok ? 0 : 1).summary(line);
    }
}
