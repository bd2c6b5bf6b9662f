package io.dataplatform.projections.crash;

import io.dataplatform.projections.Await;
import io.dataplatform.projections.ProjectionConfig;
import io.dataplatform.projections.ProjectionRunner;
import io.dataplatform.projections.ProjectionState;
import io.dataplatform.projections.RunnerSettings;
import io.dataplatform.projections.StoreFixture;
import io.dataplatform.projections.StoreReaders;
import io.dataplatform.projections.builtin.StreamCounts;
import io.dataplatform.store.StoreId;
import io.dataplatform.views.Checkpoint;
import io.dataplatform.views.ViewReader;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The original sample's double count: it wrote the views, then the checkpoint; a crash in between
 * left views holding a batch the checkpoint did not cover, and the restarted projection counted
 * that batch again. Here a child JVM counts events and halts exactly there (views written, the
 * checkpoint not), several times over; the counts stay exact.
 */
class CrashBetweenViewsAndCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void aCrashBetweenWritingViewsAndTheCheckpointNeverCountsTwice() throws Exception {
        Path log = dir.resolve("child.log");
        String views = dir.resolve("views").toString();
        try (StoreFixture stores = StoreFixture.open(dir.resolve("data"))) {
            stores.fill("counted", 200_000, 50, 8);
            long head = stores.head("counted");
            long lastCheckpoint = -1;
            for (int cycle = 0; cycle < 3; cycle++) {
                Process child = ChildJvm.start(log, CountingChild.class.getName(), "-Ddp.crash.checkpoint=1",
                        stores.location(), "counted", views);
                assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child ended (see " + log + ")").isTrue();
                assertThat(child.exitValue()).as("halted between views and checkpoint: " + Files.readString(log))
                        .isEqualTo(CrashingFileBackendProvider.HALT_STATUS);
                try (ViewStore reopened = ViewStores.open(views)) {
                    // reopening replays the journal: the views and the checkpoint agree again
                    Checkpoint checkpoint = reopened.container("counts").readCheckpoint();
                    assertThat(checkpoint).isNotNull();
                    assertThat(checkpoint.position()).as("progress despite the crash").isGreaterThan(lastCheckpoint);
                    lastCheckpoint = checkpoint.position();
                    assertThat(countedEvents(reopened.reader("counts")))
                            .as("the views hold exactly the events the checkpoint covers")
                            .isEqualTo(Long.parseLong(checkpoint.metadata().get("version")));
                }
            }
            assertThat(Files.readString(log)).contains("halting between writing");
            try (ViewStore reopened = ViewStores.open(views)) {
                ProjectionRunner runner = new ProjectionRunner("counts", new StreamCounts(), ProjectionConfig.of("counts", Map.of()),
                        RunnerSettings.defaults(), StoreId.of("counted"),
                        StoreReaders.direct(stores.location(), StoreId.of("counted")), reopened, "counts", null, null)
                        .start(false);
                Await.until(Duration.ofSeconds(120), () -> runner.status().checkpoint() == head
                        || runner.status().state() == ProjectionState.FAILED, () -> runner.status().toString());
                runner.close();
                assertThat(runner.status().state()).isNotEqualTo(ProjectionState.FAILED);
                ViewReader reader = reopened.reader("counts");
                for (Map.Entry<String, long[]> stream : stores.expected.entrySet()) {
                    assertThat(reader.read(stream.getKey(), StreamCounts.Count.class).events).as(stream.getKey())
                            .isEqualTo(stream.getValue()[0]);
                }
            }
        }
    }

    static long countedEvents(ViewReader reader) {
        long total = 0;
        try (var keys = reader.keys("")) {
            for (String key : keys.toList()) {
                total += reader.read(key, StreamCounts.Count.class).events;
            }
        }
        return total;
    }
}
