package io.dataplatform.samples.continuous;

import io.dataplatform.projections.Projection;
import io.dataplatform.projections.ProjectionStatus;
import io.dataplatform.projections.RunnerSettings;
import io.dataplatform.samples.continuous.projection.CommentsByUser;
import io.dataplatform.samples.continuous.projection.CommentsByWeekday;
import io.dataplatform.samples.continuous.projection.InProcessProjections;
import io.dataplatform.samples.continuous.projection.PostsByTag;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code sample3}: the three StackExchange projections (posts by tag, comments by user, comments
 * by day of week), run in this process, or registered with a running projection worker.
 */
@Command(name = "sample3", mixinStandardHelpOptions = true,
        description = "Runs the sample-3 projections: posts-by-tag, comments-by-user, comments-by-weekday.")
final class Sample3Command implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--until-caught-up", description = "Exit once every projection has applied the store's head (as it was when they started).")
    boolean untilCaughtUp;

    @Option(names = "--worker", description = "Register the projections with the worker at this URL instead of running them here.")
    URI worker;

    @Option(names = "--direct", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Read the store's files at --location directly (default); --no-direct reads over HTTP from --node.")
    boolean direct;

    @Option(names = "--batch-events", defaultValue = "10000", description = "Events per batch at most (default: ${DEFAULT-VALUE}).")
    int batchEvents;

    /** The projections of sample 3, by name (also their containers' names). */
    static Map<String, Projection> projections() {
        Map<String, Projection> all = new LinkedHashMap<>();
        all.put(PostsByTag.NAME, new PostsByTag());
        all.put(CommentsByUser.NAME, new CommentsByUser());
        all.put(CommentsByWeekday.NAME, new CommentsByWeekday());
        return all;
    }

    @Override
    public Integer call() throws Exception {
        if (worker != null) {
            return register();
        }
        RunnerSettings settings = RunnerSettings.defaults().withBatch(batchEvents, RunnerSettings.DEFAULT_MAX_BYTES);
        try (ViewStore views = ViewStores.open(common.views());
             InProcessProjections running = new InProcessProjections(common.storeId(),
                     direct ? common.location() : null, common.node)) {
            for (Map.Entry<String, Projection> entry : projections().entrySet()) {
                running.start(entry.getKey(), entry.getValue(), entry.getKey(), views, settings, null);
            }
            long start = System.nanoTime();
            if (untilCaughtUp) {
                long[] lastPrint = {System.nanoTime()};
                boolean caughtUp = running.awaitCaughtUp(Duration.ofDays(365), () -> {
                    if (System.nanoTime() - lastPrint[0] > 2_000_000_000L) {
                        lastPrint[0] = System.nanoTime();
                        print(running);
                    }
                });
                print(running);
                System.out.printf(Locale.ROOT, "%s in %.1f s%n", caughtUp ? "caught up" : "stopped: a projection FAILED",
                        (System.nanoTime() - start) / 1e9);
                return caughtUp ? 0 : 1;
            }
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            while (!stop.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
                print(running);
            }
            return 0;
        }
    }

    private static void print(InProcessProjections running) {
        for (ProjectionStatus status : running.statuses()) {
            System.out.printf(Locale.ROOT, "%-20s %-9s position %,d of %,d, %,d events applied, %,.0f events/s%s%n",
                    status.name(), status.state(), status.checkpoint(), status.headPosition(), status.eventsApplied(),
                    status.eventsPerSecond(), status.error() == null ? "" : ", error: " + status.error());
        }
    }

    /** Creates (or updates) the three projections on a worker through its REST API. */
    private int register() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        int failures = 0;
        for (Map.Entry<String, Projection> entry : projections().entrySet()) {
            String config = "{\"projection.class\":\"" + entry.getValue().getClass().getName() + "\",\"store\":\""
                    + common.store + "\",\"store.location\":\"" + (direct ? json(common.location()) : "")
                    + "\",\"node\":\"" + json(common.node.toString()) + "\",\"views.location\":\""
                    + json(common.views()) + "\",\"views.container\":\"" + entry.getKey() + "\"}";
            HttpRequest request = HttpRequest.newBuilder(worker.resolve("/projections/" + entry.getKey() + "/config"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(config, StandardCharsets.UTF_8)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            System.out.println(entry.getKey() + ": " + response.statusCode() + " " + response.body());
            if (response.statusCode() >= 300) {
                failures++;
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
