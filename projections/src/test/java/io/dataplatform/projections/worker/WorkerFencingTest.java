package io.dataplatform.projections.worker;

import io.dataplatform.node.Node;
import io.dataplatform.node.NodeConfig;
import io.dataplatform.projections.Await;
import io.dataplatform.projections.FrameworkKeys;
import io.dataplatform.projections.ProjectionState;
import io.dataplatform.projections.StoreFixture;
import io.dataplatform.projections.StuckCounts;
import io.dataplatform.projections.builtin.StreamCounts;
import io.dataplatform.projections.plugins.ProjectionPlugins;
import io.dataplatform.views.ViewReader;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A configuration change while the projection's batch takes longer than the worker's stop timeout:
 * the worker gives the old runner up and starts a new one, and the old one, finishing late, must not
 * count its batch again. The worker's stop timeout is made tiny here (two minutes in production).
 * A real node on a random port, real store and view files.
 */
class WorkerFencingTest {

    @TempDir
    Path dir;
    Node node;
    StoreFixture stores;
    ProjectionWorker worker;

    @BeforeEach
    void start() {
        StuckCounts.reset();
        node = Node.start(NodeConfig.defaults().withStoreLocation(dir.resolve("data").toString()).withPort(0));
        stores = StoreFixture.over(dir.resolve("data"), node.engine());
        worker = new ProjectionWorker(ProjectionPlugins.scan(getClass().getClassLoader(), null),
                new ProjectionConfigFiles(null), null, new WorkerMetrics(), Duration.ofMillis(1));
    }

    @AfterEach
    void stop() {
        StuckCounts.release.countDown();
        worker.close();
        node.close();
    }

    private Map<String, String> config(boolean stuck, int batch) {
        Map<String, String> config = new HashMap<>();
        config.put(FrameworkKeys.PROJECTION_CLASS, "stuck-counts");
        config.put(FrameworkKeys.STORE, "shop");
        config.put(FrameworkKeys.STORE_LOCATION, stores.location());
        config.put(FrameworkKeys.VIEWS_LOCATION, dir.resolve("views").toString());
        config.put(FrameworkKeys.BATCH_MAX_EVENTS, Integer.toString(batch));
        config.put("stuck", Boolean.toString(stuck));
        return config;
    }

    private void awaitCaughtUp() {
        long head = stores.head("shop");
        Await.until(Duration.ofSeconds(60), () -> worker.status("counts").checkpoint() == head
                || worker.status("counts").state() == ProjectionState.FAILED, () -> worker.status("counts").toString());
        assertThat(worker.status("counts").state()).isEqualTo(ProjectionState.RUNNING);
    }

    private String countMismatch() {
        try (ViewStore views = ViewStores.open(dir.resolve("views").toString())) {
            ViewReader reader = views.reader("counts");
            for (Map.Entry<String, long[]> stream : stores.expected.entrySet()) {
                StreamCounts.Count count = reader.read(stream.getKey(), StreamCounts.Count.class);
                if (count == null || count.events != stream.getValue()[0]) {
                    return "stream " + stream.getKey() + " counts " + (count == null ? "nothing" : count.events)
                            + ", not " + stream.getValue()[0];
                }
            }
            return null;
        }
    }

    @Test
    void aRunnerGivenUpOnAConfigurationChangeNeverCountsItsBatchAgain() throws Exception {
        stores.fill("shop", 4_000, 8, 10);
        worker.create("counts", config(true, 1_000));
        assertThat(StuckCounts.applying.await(60, TimeUnit.SECONDS)).isTrue();

        worker.putConfig("counts", config(false, 600)); // the old runner does not stop in time: given up
        awaitCaughtUp();
        StuckCounts.release.countDown(); // the old runner commits late: refused
        assertThat(StuckCounts.stoppedStuck.await(60, TimeUnit.SECONDS)).as("the old runner ended").isTrue();

        stores.fill("shop", 1_500, 8, 10);
        awaitCaughtUp();
        Await.until(Duration.ofSeconds(30), () -> countMismatch() == null, this::countMismatch);
    }
}
