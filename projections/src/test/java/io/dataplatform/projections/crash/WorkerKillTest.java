package io.dataplatform.projections.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataplatform.projections.Await;
import io.dataplatform.projections.StoreFixture;
import io.dataplatform.projections.builtin.StreamCounts;
import io.dataplatform.rules.StorageLocation;
import io.dataplatform.views.ViewReader;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import io.dataplatform.testing.azurite.Azurite;
import io.dataplatform.testing.azurite.AzuriteExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker process counting events (a million under the slow tag) is killed with {@code kill -9} at random moments of its
 * catch-up and started again, each time resuming from its checkpoint; the counts end exact. A few
 * cycles by default, many under the {@code slow} tag ({@code mvn verify -Preliability}). Each test runs
 * with the views on the {@code file} backend (a directory), on the {@code rocksdb} backend
 * ({@code rocksdb:DIR}) and on the {@code azure} backend (Azurite, the emulator: a connection string
 * and {@code |container}), the worker's {@code views.location} being the only difference.
 */
@ExtendWith(AzuriteExtension.class)
class WorkerKillTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "views on {0}")
    @ValueSource(strings = {"file", "rocksdb", "azure"})
    void killedDuringCatchUpAFewTimesStillCountsExactly(String backend, Azurite azurite) throws Exception {
        // on azure every commit is ~100 requests to the emulator on the same cores: fewer events keep CI fast,
        // and the kills still land inside the first commits
        killAndRestart(viewLocation(backend, azurite), backend.equals("azure") ? 50_000 : 200_000, 3);
    }

    @ParameterizedTest(name = "views on {0}")
    @ValueSource(strings = {"file", "rocksdb", "azure"})
    @Tag("slow")
    void killedDuringTheCatchUpOfAMillionEventsManyTimesStillCountsExactly(String backend, Azurite azurite) throws Exception {
        killAndRestart(viewLocation(backend, azurite), 1_000_000, 25);
    }

    /** The worker's {@code views.location} for a backend: a plain directory, {@code rocksdb:DIR}, or Azurite's connection string and a container. */
    private String viewLocation(String backend, Azurite azurite) {
        String views = dir.resolve("views").toString();
        return switch (backend) {
            case "file" -> views;
            case "rocksdb" -> "rocksdb:" + views;
            case "azure" -> azurite.location(azurite.uniqueContainer("worker-kill"));
            default -> throw new IllegalArgumentException("no view location for backend " + backend);
        };
    }

    private void killAndRestart(String views, int events, int cycles) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Path log = dir.resolve("worker.log");
        Path config = dir.resolve("config");
        try (StoreFixture stores = StoreFixture.open(dir.resolve("data"))) {
            stores.fill("million", events, 100, 10);
            long head = stores.head("million");
            try (WorkerProcess first = WorkerProcess.start(config, log)) {
                String answer = first.send("POST", "/projections", "{\"name\":\"counts\",\"config\":{"
                        + "\"projection.class\":\"stream-counts\",\"store\":\"million\",\"store.location\":\""
                        + stores.location() + "\",\"views.location\":\"" + views + "\",\"batch.max.events\":\"5000\"}}");
                assertThat(answer).contains("\"name\":\"counts\"");
                Thread.sleep(random.nextInt(100, 1500)); // a random moment of the catch-up to kill at
                first.kill();
            }
            for (int cycle = 1; cycle < cycles; cycle++) {
                WorkerProcess worker = WorkerProcess.start(config, log);
                Thread.sleep(random.nextInt(50, 1500)); // a random moment of the catch-up to kill at
                worker.kill();
            }
            WorkerProcess last = WorkerProcess.start(config, log);
            try {
                JsonNode[] status = new JsonNode[1];
                Await.until(Duration.ofMinutes(3), () -> {
                    status[0] = readStatus(last);
                    assertThat(status[0].path("state").asText()).as("seed " + seed + ": " + status[0]).isNotEqualTo("FAILED");
                    return status[0].path("checkpoint").path("position").asLong() == head;
                }, () -> "caught up (seed " + seed + "): " + status[0]);
                assertThat(status[0].path("lag").path("events").asLong()).isZero();
                assertThat(last.stop()).as("graceful stop").isTrue();
            } finally {
                last.close();
            }
            try (ViewStore reopened = ViewStores.open(views)) {
                ViewReader reader = reopened.reader("counts");
                for (Map.Entry<String, long[]> stream : stores.expected.entrySet()) {
                    StreamCounts.Count count = reader.read(stream.getKey(), StreamCounts.Count.class);
                    assertThat(count).as(stream.getKey() + " in " + StorageLocation.redacted(views) + " (seed " + seed + ")").isNotNull();
                    assertThat(count.events).as(stream.getKey() + " (seed " + seed + ")").isEqualTo(stream.getValue()[0]);
                    assertThat(count.bytes).as(stream.getKey() + " (seed " + seed + ")").isEqualTo(stream.getValue()[1]);
                }
            }
        }
    }

    private static JsonNode readStatus(WorkerProcess worker) {
        try {
            return JSON.readTree(worker.send("GET", "/projections/counts/status", null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
