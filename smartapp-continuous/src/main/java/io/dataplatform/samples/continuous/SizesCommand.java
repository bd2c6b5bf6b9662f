package io.dataplatform.samples.continuous;

import io.dataplatform.projections.ProjectionRunner;
import io.dataplatform.projections.RunnerSettings;
import io.dataplatform.samples.continuous.projection.EventSizes;
import io.dataplatform.samples.continuous.projection.InProcessProjections;
import io.dataplatform.views.ViewReader;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code sizes} (sample 2): counts a store's events by size, printing the distribution as it
 * changes (at most once a second). Restarted, it continues from its checkpoint.
 */
@Command(name = "sizes", mixinStandardHelpOptions = true,
        description = "Sample 2: the distribution of a store's event sizes, printed as it changes.")
final class SizesCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--until-caught-up", description = "Exit once the store's head (as it was at start) is counted.")
    boolean untilCaughtUp;

    @Option(names = "--container", description = "View container (default: sizes-<store>).")
    String container;

    @Override
    public Integer call() throws Exception {
        String name = container != null ? container : ("sizes-" + common.store).substring(0, Math.min(48, 6 + common.store.length()));
        AtomicLong lastPrint = new AtomicLong();
        try (ViewStore views = ViewStores.open(common.views());
             InProcessProjections running = new InProcessProjections(common.storeId(), common.location(), common.node)) {
            ViewReader reader = views.reader(name);
            ProjectionRunner.Listener listener = (projection, events, bytes, nanos) -> {
                long now = System.nanoTime();
                long last = lastPrint.get();
                if (now - last > 1_000_000_000L && lastPrint.compareAndSet(last, now)) {
                    print(reader);
                }
            };
            running.start(EventSizes.NAME, new EventSizes(), name, views, RunnerSettings.defaults(), listener);
            if (untilCaughtUp) {
                boolean done = running.awaitCaughtUp(Duration.ofDays(365), () -> { });
                print(reader);
                return done ? 0 : 1;
            }
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await(365, TimeUnit.DAYS);
            return 0;
        }
    }

    static void print(ViewReader reader) {
        EventSizes.Distribution d = reader.read(EventSizes.DISTRIBUTION, EventSizes.Distribution.class);
        if (d == null) {
            System.out.println("no events yet");
            return;
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%,d events, %,d bytes, largest %,d bytes%n", d.totalEvents, d.totalBytes, d.largest));
        long max = 1;
        for (long n : d.events) {
            max = Math.max(max, n);
        }
        long lower = 0;
        for (int i = 0; i < d.events.length; i++) {
            if (d.events[i] > 0) {
                String range = d.upTo[i] == Long.MAX_VALUE ? ">= " + lower : lower + ".." + (d.upTo[i] - 1);
                out.append(String.format(Locale.ROOT, "  %-18s %,12d %s%n", range, d.events[i],
                        "#".repeat((int) Math.max(1, 40 * d.events[i] / max))));
            }
            lower = d.upTo[i];
        }
        System.out.print(out);
    }
}
