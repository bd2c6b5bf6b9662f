package io.dataplatform.projections;

import io.dataplatform.projections.builtin.StreamCounts;
import io.dataplatform.store.StoreId;
import io.dataplatform.views.Checkpoint;
import io.dataplatform.views.ViewReader;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectionRunnerTest {

    @TempDir
    Path dir;
    StoreFixture stores;
    ViewStore views;
    final List<ProjectionRunner> runners = new ArrayList<>();

    @BeforeEach
    void open() {
        stores = StoreFixture.open(dir.resolve("data"));
        views = ViewStores.open(dir.resolve("views").toString());
    }

    @AfterEach
    void close() {
        runners.forEach(ProjectionRunner::close);
        views.close();
        stores.close();
    }

    private ProjectionRunner run(String name, Projection projection, String store, RunnerSettings settings) {
        ProjectionRunner runner = new ProjectionRunner(name, projection, ProjectionConfig.of(name, Map.of()), settings,
                StoreId.of(store), StoreReaders.direct(stores.location(), StoreId.of(store)), views, name, null, null);
        runners.add(runner);
        return runner.start(false);
    }

    static void awaitCaughtUp(ProjectionRunner runner, long head) {
        Await.until(Duration.ofSeconds(120), () -> runner.status().checkpoint() == head
                || runner.status().state() == ProjectionState.FAILED, () -> runner.status().toString());
        assertThat(runner.status().state()).as(runner.status().toString()).isEqualTo(ProjectionState.RUNNING);
    }

    static void assertExactCounts(ViewReader reader, StoreFixture stores) {
        for (Map.Entry<String, long[]> stream : stores.expected.entrySet()) {
            StreamCounts.Count count = reader.read(stream.getKey(), StreamCounts.Count.class);
            assertThat(count).as("view of stream " + stream.getKey()).isNotNull();
            assertThat(count.events).as("events of stream " + stream.getKey()).isEqualTo(stream.getValue()[0]);
            assertThat(count.bytes).as("bytes of stream " + stream.getKey()).isEqualTo(stream.getValue()[1]);
        }
    }

    @Test
    void countsAMillionEventsExactlyAndLagReachesZero() throws Exception {
        stores.fill("big", 1_000_000, 100, 10);
        ProjectionRunner runner = run("counts", new StreamCounts(), "big", RunnerSettings.defaults());
        awaitCaughtUp(runner, stores.head("big"));
        ProjectionStatus status = runner.status();
        assertThat(status.lagEvents()).isZero();
        assertThat(status.lagBytes()).isZero();
        assertThat(status.checkpointVersion()).isEqualTo(1_000_000);
        assertExactCounts(views.reader("counts"), stores);
        Checkpoint checkpoint = views.reader("counts").readCheckpoint();
        assertThat(checkpoint.position()).isEqualTo(stores.head("big"));
        assertThat(checkpoint.metadata()).containsEntry("store", "big").containsEntry("version", "1000000");
    }

    @Test
    void countsExactlyIntoViewsOnTheRocksdbBackend() throws Exception {
        stores.fill("rocks", 100_000, 1_000, 10);
        try (ViewStore rocks = ViewStores.open("rocksdb:" + dir.resolve("rocks"))) {
            ProjectionRunner runner = new ProjectionRunner("rocks", new StreamCounts(), ProjectionConfig.of("rocks", Map.of()),
                    RunnerSettings.defaults(), StoreId.of("rocks"), StoreReaders.direct(stores.location(), StoreId.of("rocks")),
                    rocks, "rocks", null, null).start(false);
            try {
                awaitCaughtUp(runner, stores.head("rocks"));
            } finally {
                runner.close();
            }
            assertExactCounts(rocks.reader("rocks"), stores);
        }
    }

    @Test
    void batchesRespectTheEventAndByteLimits() throws Exception {
        stores.fill("limits", 1_000, 3, 100);
        List<int[]> seen = new ArrayList<>();
        Projection recorder = (batch, session) -> seen.add(new int[] {batch.size(), batch.bytes()});
        ProjectionRunner runner = run("limits", recorder, "limits", RunnerSettings.defaults().withBatch(64, 4096));
        awaitCaughtUp(runner, stores.head("limits"));
        assertThat(seen.stream().mapToInt(b -> b[0]).sum()).isEqualTo(1_000);
        assertThat(seen).allSatisfy(b -> {
            assertThat(b[0]).isLessThanOrEqualTo(64);
            assertThat(b[1]).isLessThanOrEqualTo(4096);
        });
    }

    @Test
    void aNewCommitReachesACaughtUpProjection() throws Exception {
        stores.fill("live", 10, 2, 4);
        ProjectionRunner runner = run("live", new StreamCounts(), "live", RunnerSettings.defaults());
        awaitCaughtUp(runner, stores.head("live"));
        stores.append("live", "late", "hello");
        Await.until(Duration.ofSeconds(30), () -> views.reader("live").exists("late"), () -> runner.status().toString());
        assertThat(views.reader("live").read("late", StreamCounts.Count.class).events).isEqualTo(1);
    }

    @Test
    void aThrowingProjectionIsFailedWithItsErrorAndPositionWhileTheOthersCarryOn() throws Exception {
        stores.fill("mixed", 100, 2, 4);
        long poisonPosition = stores.append("mixed", "bad", "boom").position();
        stores.fill("mixed", 100, 2, 4);
        RunnerSettings quick = RunnerSettings.defaults().withRetries(2, Duration.ofMillis(1));
        ProjectionRunner failing = run("failing", new ThrowingProjection(), "mixed", quick);
        ProjectionRunner counting = run("counting", new StreamCounts(), "mixed", quick);
        Await.until(Duration.ofSeconds(60), () -> failing.status().state() == ProjectionState.FAILED,
                () -> failing.status().toString());
        ProjectionStatus status = failing.status();
        assertThat(status.errorPosition()).isEqualTo(poisonPosition);
        assertThat(status.error()).contains("position " + poisonPosition).contains("cannot digest 'boom'")
                .contains("after 2 retries");
        assertThat(status.checkpoint()).as("nothing of the failing batch is committed").isLessThanOrEqualTo(poisonPosition);
        awaitCaughtUp(counting, stores.head("mixed"));
        assertExactCounts(views.reader("counting"), stores);
        stores.append("mixed", "after", "x");
        Await.until(Duration.ofSeconds(30), () -> views.reader("counting").exists("after"), () -> counting.status().toString());
        assertThat(failing.status().state()).isEqualTo(ProjectionState.FAILED);
    }

    @Test
    void aRecreatedStoreStopsTheProjectionWithTheIncarnationError() throws Exception {
        stores.fill("again", 500, 5, 8);
        ProjectionRunner first = run("again", new StreamCounts(), "again", RunnerSettings.defaults());
        awaitCaughtUp(first, stores.head("again"));
        first.close();
        assertThat(stores.engine.delete(StoreId.of("again")).get(30, TimeUnit.SECONDS)).isTrue();
        stores.expected.clear();
        stores.fill("again", 2_000, 5, 8);
        ProjectionRunner second = run("again", new StreamCounts(), "again", RunnerSettings.defaults());
        Await.until(Duration.ofSeconds(60), () -> second.status().state() == ProjectionState.FAILED,
                () -> second.status().toString());
        assertThat(second.status().error()).contains("store 'again' was recreated");

        // the way out the error names: a rebuild replays the new store into emptied views
        second.close();
        ProjectionRunner rebuilt = new ProjectionRunner("again", new StreamCounts(), ProjectionConfig.of("again", Map.of()),
                RunnerSettings.defaults(), StoreId.of("again"), StoreReaders.direct(stores.location(), StoreId.of("again")),
                views, "again", null, null);
        runners.add(rebuilt);
        rebuilt.start(false, true);
        awaitCaughtUp(rebuilt, stores.head("again"));
        assertExactCounts(views.reader("again"), stores);
    }

    @Test
    void aRecreatedStoreIsRebuiltWhenTheConfigurationAsks() throws Exception {
        stores.fill("renew", 500, 5, 8);
        ProjectionRunner first = run("renew", new StreamCounts(), "renew", RunnerSettings.defaults());
        awaitCaughtUp(first, stores.head("renew"));
        first.close();
        stores.engine.delete(StoreId.of("renew")).get(30, TimeUnit.SECONDS);
        stores.expected.clear();
        stores.fill("renew", 300, 3, 8);
        RunnerSettings rebuild = RunnerSettings.defaults().withRebuildOnRecreate(true);
        ProjectionRunner second = run("renew", new StreamCounts(), "renew", rebuild);
        awaitCaughtUp(second, stores.head("renew"));
        assertExactCounts(views.reader("renew"), stores);
        try (var keys = views.reader("renew").keys("")) {
            assertThat(keys.toList()).as("views of the old store are gone").containsExactlyInAnyOrder("s0", "s1", "s2");
        }
    }

    @Test
    void rebuildReplaysTheStoreIntoEmptiedViews() throws Exception {
        stores.fill("replay", 5_000, 7, 3);
        ProjectionRunner runner = run("replay", new StreamCounts(), "replay", RunnerSettings.defaults());
        awaitCaughtUp(runner, stores.head("replay"));
        views.container("replay").write("stale", new StreamCounts.Count());
        runner.rebuild();
        Await.until(Duration.ofSeconds(60), () -> !views.reader("replay").exists("stale")
                && runner.status().checkpoint() == stores.head("replay")
                && runner.status().state() == ProjectionState.RUNNING, () -> runner.status().toString());
        assertExactCounts(views.reader("replay"), stores);
    }

    @Test
    void pausedProjectionsReadNothingUntilResumed() throws Exception {
        stores.fill("pausing", 100, 2, 3);
        ProjectionRunner runner = run("pausing", new StreamCounts(), "pausing", RunnerSettings.defaults());
        awaitCaughtUp(runner, stores.head("pausing"));
        runner.pause();
        Await.until(Duration.ofSeconds(30), () -> runner.status().state() == ProjectionState.PAUSED, () -> runner.status().toString());
        long before = runner.status().checkpoint();
        stores.fill("pausing", 100, 2, 3);
        Await.until(Duration.ofSeconds(30), () -> runner.status().headPosition() == stores.head("pausing"),
                () -> "the head is followed while paused: " + runner.status());
        assertThat(runner.status().checkpoint()).isEqualTo(before);
        assertThat(runner.status().lagEvents()).isEqualTo(100);
        runner.resume();
        awaitCaughtUp(runner, stores.head("pausing"));
        assertExactCounts(views.reader("pausing"), stores);
    }
}
