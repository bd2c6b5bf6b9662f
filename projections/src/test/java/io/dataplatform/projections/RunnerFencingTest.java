package io.dataplatform.projections;

import io.dataplatform.node.Node;
import io.dataplatform.node.NodeConfig;
import io.dataplatform.projections.builtin.StreamCounts;
import io.dataplatform.store.StoreId;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A runner given up by {@link ProjectionRunner#close(Duration)} while it still runs (the worker does
 * so after two minutes) must never commit once another runner took its container over: the
 * second runner's writer epoch fences it. A real node on a random port, real store and view files.
 */
class RunnerFencingTest {

    /** Counts streams as {@link StreamCounts} does, but its first batch waits, after counting, until released. */
    static final class StuckCounts implements Projection {
        final StreamCounts counts = new StreamCounts();
        final CountDownLatch applying = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public java.util.List<ConfigKey> configKeys() {
            return counts.configKeys();
        }

        @Override
        public void start(ProjectionConfig config) {
            counts.start(config);
        }

        @Override
        public void apply(Batch batch, ViewSession views) throws Exception {
            counts.apply(batch, views);
            applying.countDown();
            if (!release.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("never released");
            }
        }
    }

    @TempDir
    Path dir;
    Node node;
    StoreFixture stores;
    ViewStore views;
    final List<ProjectionRunner> runners = new ArrayList<>();

    @BeforeEach
    void start() {
        node = Node.start(NodeConfig.defaults().withStoreLocation(dir.resolve("data").toString()).withPort(0));
        stores = StoreFixture.over(dir.resolve("data"), node.engine());
        views = ViewStores.open(dir.resolve("views").toString());
    }

    @AfterEach
    void stop() {
        runners.forEach(ProjectionRunner::close);
        views.close();
        node.close();
    }

    private ProjectionRunner runner(Projection projection, int batch) {
        StoreId store = StoreId.of("orders");
        ProjectionRunner runner = new ProjectionRunner("counts", projection, ProjectionConfig.of("counts", Map.of()),
                RunnerSettings.defaults().withBatch(batch, 1 << 20), store, StoreReaders.direct(stores.location(), store),
                views, "counts", null, null);
        runners.add(runner);
        return runner.start(false);
    }

    @Test
    void aRunnerGivenUpWhileApplyingNeverCommitsAfterANewRunnerTookItsContainerOver() throws Exception {
        stores.fill("orders", 5_000, 10, 8);
        StuckCounts stuck = new StuckCounts();
        ProjectionRunner old = runner(stuck, 1_000);
        assertThat(stuck.applying.await(60, TimeUnit.SECONDS)).as("the first runner applies its first batch").isTrue();

        assertThat(old.close(Duration.ofMillis(1))).as("given up while its batch is still being applied").isFalse();
        ProjectionRunner next = runner(new StreamCounts(), 700);
        ProjectionRunnerTest.awaitCaughtUp(next, stores.head("orders"));
        ProjectionRunnerTest.assertExactCounts(views.reader("counts"), stores);

        stuck.release.countDown(); // the old runner now commits its batch: it must be refused
        old.stopped().get(60, TimeUnit.SECONDS);
        ProjectionRunnerTest.assertExactCounts(views.reader("counts"), stores);
        assertThat(old.status().eventsApplied()).as("nothing of the old runner was committed").isZero();
        assertThat(old.status().state()).isEqualTo(ProjectionState.STOPPED);
        assertThat(old.status().error()).contains("took it over");

        stores.fill("orders", 2_345, 10, 8); // the new runner goes on committing, undisturbed
        ProjectionRunnerTest.awaitCaughtUp(next, stores.head("orders"));
        ProjectionRunnerTest.assertExactCounts(views.reader("counts"), stores);
        assertThat(next.close(Duration.ofSeconds(60))).isTrue();
        views.releaseContainer("counts");
        try (ViewStore other = ViewStores.open(dir.resolve("views").toString())) {
            ProjectionRunnerTest.assertExactCounts(other.container("counts"), stores); // the files, reopened
        }
    }
}
