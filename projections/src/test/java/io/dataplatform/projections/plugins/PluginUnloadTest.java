package io.dataplatform.projections.plugins;

import io.dataplatform.node.Node;
import io.dataplatform.node.NodeConfig;
import io.dataplatform.projections.Await;
import io.dataplatform.projections.FrameworkKeys;
import io.dataplatform.projections.ProjectionState;
import io.dataplatform.projections.StoreFixture;
import io.dataplatform.projections.worker.WorkerServer;
import io.dataplatform.views.ViewReader;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several workers may run in one JVM: once one is closed, the class loaders of its plugins must be
 * collectable, even though its projections decoded events into the plugin's classes and wrote views
 * of them (Jackson caches types; threads inherit context class loaders). A real node on a random
 * port, a plugin jar built here, real view files.
 */
class PluginUnloadTest {

    private static final String SOURCE = """
            package fixture.totals;
            import io.dataplatform.projections.*;
            @ProjectionName("order-totals")
            public final class OrderTotals implements Projection {
                public static final class Order { public long cents; }
                public static final class Total { public long orders; public long cents; }
                @Override public void apply(Batch batch, ViewSession views) {
                    for (BatchEvent event : batch) {
                        Order order = event.json(Order.class);
                        Total total = views.edit("customers/" + event.streamId(), Total.class, Total::new);
                        total.orders++;
                        total.cents += order.cents;
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aClosedWorkersPluginClassLoaderIsCollected() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        FixtureJars.jar(plugins.resolve("totals.jar"), Map.of("fixture.totals.OrderTotals", SOURCE), List.of(),
                FixtureJars.services("fixture.totals.OrderTotals"));
        Node node = Node.start(NodeConfig.defaults().withStoreLocation(dir.resolve("data").toString()).withPort(0));
        try {
            StoreFixture stores = StoreFixture.over(dir.resolve("data"), node.engine());
            for (int i = 0; i < 300; i++) {
                stores.append("orders", "c" + (i % 3), "{\"cents\": 10, \"note\": \"ignored\"}");
            }
            WeakReference<ClassLoader> loader = runAndClose(plugins, stores);
            Await.until(Duration.ofSeconds(60), () -> {
                System.gc();
                return loader.get() == null;
            }, () -> "the plugin's class loader is still reachable after its worker closed");
        } finally {
            node.close();
        }
    }

    /** Runs the plugin in a worker until it has counted every order, closes the worker; returns a weak reference to the plugin's loader. */
    private WeakReference<ClassLoader> runAndClose(Path plugins, StoreFixture stores) {
        WorkerServer worker = WorkerServer.start(WorkerServer.Settings.defaults().withPort(0).withPlugins(plugins));
        WeakReference<ClassLoader> loader;
        try {
            loader = new WeakReference<>(worker.worker().plugins().find("order-totals").loader());
            assertThat(loader.get()).isInstanceOf(PluginClassLoader.class);
            worker.worker().create("totals", Map.of(FrameworkKeys.PROJECTION_CLASS, "order-totals",
                    FrameworkKeys.STORE, "orders", FrameworkKeys.STORE_LOCATION, stores.location(),
                    FrameworkKeys.VIEWS_LOCATION, dir.resolve("views").toString()));
            long head = stores.head("orders");
            Await.until(Duration.ofSeconds(60), () -> worker.worker().status("totals").checkpoint() == head
                    || worker.worker().status("totals").state() == ProjectionState.FAILED,
                    () -> worker.worker().status("totals").toString());
            assertThat(worker.worker().status("totals").state()).isEqualTo(ProjectionState.RUNNING);
        } finally {
            worker.close();
        }
        try (ViewStore views = ViewStores.open(dir.resolve("views").toString())) {
            ViewReader reader = views.reader("totals");
            assertThat(reader.readBytes("customers/c0")).asString().isEqualTo("{\"orders\":100,\"cents\":1000}");
        }
        return loader;
    }
}
