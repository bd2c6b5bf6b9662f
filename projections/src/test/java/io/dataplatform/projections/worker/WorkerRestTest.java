package io.dataplatform.projections.worker;

import io.dataplatform.node.Node;
import io.dataplatform.node.NodeConfig;
import io.dataplatform.projections.Await;
import io.dataplatform.projections.StoreFixture;
import io.dataplatform.projections.builtin.StreamCounts;
import io.dataplatform.views.ViewReader;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker's REST API against a real node on a random port, real files and a real worker. */
@ExtendWith(VertxExtension.class)
class WorkerRestTest {

    @TempDir
    Path dir;
    Node node;
    StoreFixture stores;
    WorkerServer worker;
    WebClient http;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        node = Node.start(NodeConfig.defaults().withStoreLocation(dir.resolve("data").toString()).withPort(0));
        stores = StoreFixture.over(dir.resolve("data"), node.engine());
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.write(plugins.resolve("broken.jar"), new byte[] {1, 2, 3});
        worker = startWorker();
        http = WebClient.create(vertx);
    }

    private WorkerServer startWorker() {
        return WorkerServer.start(WorkerServer.Settings.defaults().withPort(0).withConfigDir(dir.resolve("config"))
                .withPlugins(dir.resolve("plugins")));
    }

    @AfterEach
    void stop() {
        http.close();
        if (worker != null) {
            worker.close();
        }
        node.close();
    }

    private HttpResponse<Buffer> call(HttpMethod method, String path, Object body) {
        var request = http.request(method, worker.port(), "127.0.0.1", path);
        return (body == null ? request.send() : request.sendBuffer(Buffer.buffer(body.toString()))).await();
    }

    private JsonObject config(String store, boolean direct) {
        JsonObject config = new JsonObject().put("projection.class", StreamCounts.NAME).put("store", store)
                .put("views.location", dir.resolve("views").toString());
        return direct ? config.put("store.location", stores.location()) : config.put("node", node.endpoint().toString());
    }

    private JsonObject status(String name) {
        return call(HttpMethod.GET, "/projections/" + name + "/status", null).bodyAsJsonObject();
    }

    private void awaitCaughtUp(String name, String store) {
        Await.until(Duration.ofSeconds(60), () -> {
            JsonObject s = status(name);
            return s.getString("state").equals("RUNNING") && s.getJsonObject("checkpoint").getLong("position") == stores.head(store)
                    && s.getJsonObject("lag").getLong("events") == 0;
        }, () -> status(name).encode());
    }

    /**
     * Waits until the views, read from another view store as any reader outside the worker would,
     * hold the exact counts (view files are written behind the worker's commits, within a bound).
     */
    private void assertExactCounts(String container) {
        Await.until(Duration.ofSeconds(30), () -> countMismatch(container) == null, () -> countMismatch(container));
    }

    private String countMismatch(String container) {
        try (ViewStore views = ViewStores.open(dir.resolve("views").toString())) {
            ViewReader reader = views.reader(container);
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
    void pauseResumeRestartRebuildAndDeleteThroughRest() throws Exception {
        stores.fill("shop", 5_000, 10, 20);
        HttpResponse<Buffer> created = call(HttpMethod.POST, "/projections",
                new JsonObject().put("name", "counts").put("config", config("shop", true)));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        assertThat(created.bodyAsJsonObject().getString("type")).isEqualTo(StreamCounts.class.getName());
        assertThat(call(HttpMethod.GET, "/projections", null).bodyAsJsonArray()).isEqualTo(new JsonArray().add("counts"));
        assertThat(call(HttpMethod.GET, "/projections/counts/config", null).bodyAsJsonObject().getString("views.container"))
                .isEqualTo("counts");
        awaitCaughtUp("counts", "shop");
        assertExactCounts("counts");

        assertThat(call(HttpMethod.PUT, "/projections/counts/pause", null).statusCode()).isEqualTo(202);
        Await.until(Duration.ofSeconds(30), () -> status("counts").getString("state").equals("PAUSED"), () -> status("counts").encode());
        stores.fill("shop", 1_000, 10, 20);
        Await.until(Duration.ofSeconds(30), () -> status("counts").getJsonObject("lag").getLong("events") == 1_000,
                () -> "lag while paused: " + status("counts").encode());

        assertThat(call(HttpMethod.PUT, "/projections/counts/resume", null).statusCode()).isEqualTo(202);
        awaitCaughtUp("counts", "shop");

        // a refused change of configuration leaves the projection running as it was
        HttpResponse<Buffer> refused = call(HttpMethod.PUT, "/projections/counts/config",
                config("shop", false).put("node", "http://[not a host"));
        assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(400);
        assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("invalid_config");
        HttpResponse<Buffer> kept = call(HttpMethod.GET, "/projections/counts/config", null);
        assertThat(kept.statusCode()).isEqualTo(200);
        assertThat(kept.bodyAsJsonObject().getString("store.location")).isEqualTo(stores.location());
        stores.fill("shop", 100, 10, 20);
        awaitCaughtUp("counts", "shop");

        assertThat(call(HttpMethod.POST, "/projections/counts/restart", null).statusCode()).isEqualTo(202);
        stores.fill("shop", 500, 10, 20);
        awaitCaughtUp("counts", "shop");
        assertExactCounts("counts");

        assertThat(call(HttpMethod.POST, "/projections/counts/rebuild", null).statusCode()).isEqualTo(202);
        Await.until(Duration.ofSeconds(60), () -> status("counts").getLong("eventsApplied") >= 6_500
                && status("counts").getJsonObject("lag").getLong("events") == 0, () -> status("counts").encode());
        assertExactCounts("counts");

        HttpResponse<Buffer> metrics = call(HttpMethod.GET, "/metrics", null);
        assertThat(metrics.bodyAsString()).contains("dp_projection_lag_events{projection=\"counts\"}")
                .contains("dp_projection_batch_commit_seconds").contains("dp_projection_events_total{projection=\"counts\"}");

        assertThat(call(HttpMethod.DELETE, "/projections/counts", null).statusCode()).isEqualTo(204);
        HttpResponse<Buffer> gone = call(HttpMethod.GET, "/projections/counts/status", null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.bodyAsJsonObject().getString("error")).isEqualTo("projection_not_found");
        Await.until(Duration.ofSeconds(30), () -> {
            try (ViewStore views = ViewStores.open(dir.resolve("views").toString());
                 var keys = views.reader("counts").keys("")) {
                return keys.findAny().isEmpty();
            } catch (io.dataplatform.views.ViewStoreException e) {
                return false; // a file listed and deleted before it was looked at: list again
            }
        }, () -> "a deleted projection's views are deleted");
        assertThat(Files.exists(dir.resolve("config").resolve("counts.json"))).isFalse();
    }

    @Test
    void aProjectionReadingOverHttpCatchesUpAndReceivesNewCommits() throws Exception {
        stores.fill("remote", 2_000, 4, 10);
        assertThat(call(HttpMethod.PUT, "/projections/over-http/config", config("remote", false)).statusCode()).isEqualTo(201);
        awaitCaughtUp("over-http", "remote");
        stores.append("remote", "late", "new");
        Await.until(Duration.ofSeconds(30), () -> {
            try (ViewStore views = ViewStores.open(dir.resolve("views").toString())) {
                return views.reader("over-http").exists("late");
            }
        }, () -> status("over-http").encode());
        assertExactCounts("over-http");
    }

    @Test
    void aRestartedWorkerResumesEveryProjectionFromItsCheckpoint() throws Exception {
        stores.fill("resume", 3_000, 5, 10);
        call(HttpMethod.POST, "/projections", new JsonObject().put("name", "first").put("config", config("resume", true)));
        call(HttpMethod.POST, "/projections", new JsonObject().put("name", "second").put("config", config("resume", true)));
        call(HttpMethod.PUT, "/projections/second/pause", null);
        awaitCaughtUp("first", "resume");
        worker.close();
        worker = null;
        stores.fill("resume", 1_000, 5, 10);
        worker = startWorker();
        assertThat(call(HttpMethod.GET, "/projections", null).bodyAsJsonArray()).containsExactly("first", "second");
        JsonObject first = status("first");
        assertThat(first.getJsonObject("checkpoint").getLong("position")).as("resumed, not replayed: " + first).isPositive();
        awaitCaughtUp("first", "resume");
        assertThat(status("first").getLong("eventsApplied")).as("only the new events are applied").isEqualTo(1_000);
        assertExactCounts("first");
        Await.until(Duration.ofSeconds(30), () -> status("second").getString("state").equals("PAUSED"),
                () -> status("second").encode());
    }

    @Test
    void aThrowingProjectionIsFailedInItsStatusWhileTheOthersCarryOn() throws Exception {
        stores.fill("poisoned", 100, 2, 4);
        long poison = stores.append("poisoned", "bad", "boom").position();
        call(HttpMethod.POST, "/projections", new JsonObject().put("name", "thrower").put("config",
                config("poisoned", true).put("projection.class", "throwing").put("retry.max", "1").put("retry.backoff.ms", "1")));
        call(HttpMethod.POST, "/projections", new JsonObject().put("name", "healthy").put("config", config("poisoned", true)));
        Await.until(Duration.ofSeconds(60), () -> status("thrower").getString("state").equals("FAILED"),
                () -> status("thrower").encode());
        JsonObject error = status("thrower").getJsonObject("error");
        assertThat(error.getLong("position")).isEqualTo(poison);
        assertThat(error.getString("message")).contains("cannot digest 'boom'").contains("position " + poison);
        awaitCaughtUp("healthy", "poisoned");
        assertThat(call(HttpMethod.GET, "/metrics", null).bodyAsString()).contains("dp_projection_failed{projection=\"thrower\"} 1.0");
    }

    @Test
    void badRequestsAnswerJsonErrorsNamingTheProblem() {
        HttpResponse<Buffer> invalid = call(HttpMethod.POST, "/projections", new JsonObject().put("name", "bad")
                .put("config", config("shop", true).put("batch.max.events", "many").put("store", "Not A Store")));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.bodyAsJsonObject().getString("error")).isEqualTo("invalid_config");
        assertThat(invalid.bodyAsJsonObject().getString("detail")).contains("batch.max.events").contains("store:");

        assertThat(call(HttpMethod.POST, "/projections", "{not json").bodyAsJsonObject().getString("error")).isEqualTo("invalid_json");
        assertThat(call(HttpMethod.POST, "/projections", new JsonObject().put("name", "Bad Name").put("config",
                config("shop", true))).bodyAsJsonObject().getString("error")).isEqualTo("invalid_name");
        call(HttpMethod.POST, "/projections", new JsonObject().put("name", "dup").put("config", config("shop", true)));
        HttpResponse<Buffer> duplicate = call(HttpMethod.POST, "/projections", new JsonObject().put("name", "dup")
                .put("config", config("shop", true)));
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(call(HttpMethod.GET, "/nowhere", null).bodyAsJsonObject().getString("error")).isEqualTo("not_found");
        assertThat(call(HttpMethod.GET, "/health", null).bodyAsJsonObject().getString("status")).isEqualTo("ok");
    }

    @Test
    void pluginsAreListedWithTheirFailuresAndConfigurationsValidated() {
        JsonObject plugins = call(HttpMethod.GET, "/projection-plugins", null).bodyAsJsonObject();
        assertThat(plugins.getJsonArray("plugins").stream().map(p -> ((JsonObject) p).getString("name")))
                .contains(StreamCounts.NAME, "throwing");
        assertThat(plugins.getJsonArray("failures").getJsonObject(0).getString("location")).endsWith("broken.jar");

        JsonObject valid = call(HttpMethod.PUT, "/projection-plugins/stream-counts/config/validate",
                config("shop", true)).bodyAsJsonObject();
        assertThat(valid.getInteger("error_count")).as(valid.encode()).isZero();
        assertThat(valid.getJsonArray("configs").stream().map(c -> ((JsonObject) c).getJsonObject("definition").getString("name")))
                .contains("store", "batch.max.events", "key.prefix");

        JsonObject invalid = call(HttpMethod.PUT, "/projection-plugins/throwing/config/validate",
                new JsonObject().put("store", "x").put("retry.max", "-1")).bodyAsJsonObject();
        assertThat(invalid.getInteger("error_count")).isGreaterThanOrEqualTo(3); // store rule, retry.max, views.location, source
        HttpResponse<Buffer> unknown = call(HttpMethod.PUT, "/projection-plugins/nope/config/validate", new JsonObject());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.bodyAsJsonObject().getString("error")).isEqualTo("plugin_not_found");
    }

    @Test
    void aPluginWhoseConfigKeysThrowsIsRefusedWith400NamingThePluginAndTheError() {
        JsonObject config = config("shop", true).put("projection.class", "keyless");
        HttpResponse<Buffer> created = call(HttpMethod.POST, "/projections",
                new JsonObject().put("name", "keyless").put("config", config));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(400);
        assertThat(created.bodyAsJsonObject().getString("error")).isEqualTo("invalid_config");
        assertThat(created.bodyAsJsonObject().getString("detail"))
                .contains("io.dataplatform.projections.KeylessProjection").contains("the keys of keyless are lost");
        assertThat(call(HttpMethod.GET, "/projections", null).bodyAsJsonArray()).isEmpty();

        HttpResponse<Buffer> put = call(HttpMethod.PUT, "/projections/keyless/config", config);
        assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(400);

        HttpResponse<Buffer> validated = call(HttpMethod.PUT, "/projection-plugins/keyless/config/validate", config);
        assertThat(validated.statusCode()).as(validated.bodyAsString()).isEqualTo(200);
        assertThat(validated.bodyAsJsonObject().getInteger("error_count")).isEqualTo(1);
        assertThat(validated.bodyAsJsonObject().getJsonArray("errors").getString(0))
                .contains("io.dataplatform.projections.KeylessProjection").contains("the keys of keyless are lost");
    }

    @Test
    void changingTheViewsContainerReleasesTheOldOne() throws Exception {
        stores.fill("shop", 3_000, 10, 20);
        HttpResponse<Buffer> created = call(HttpMethod.POST, "/projections", new JsonObject().put("name", "moving")
                .put("config", config("shop", true).put("views.container", "first")));
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        awaitCaughtUp("moving", "shop");

        HttpResponse<Buffer> moved = call(HttpMethod.PUT, "/projections/moving/config",
                config("shop", true).put("views.container", "second"));
        assertThat(moved.statusCode()).as(moved.bodyAsString()).isEqualTo(200);
        awaitCaughtUp("moving", "shop");
        assertExactCounts("second");

        try (ViewStore other = ViewStores.open(dir.resolve("views").toString())) {
            // the worker let go of the old container: its writer lock can be taken, its views are all there
            io.dataplatform.views.ViewContainer first = other.container("first");
            for (Map.Entry<String, long[]> stream : stores.expected.entrySet()) {
                assertThat(first.read(stream.getKey(), StreamCounts.Count.class).events).isEqualTo(stream.getValue()[0]);
            }
            other.dropContainer("first");
        }
        stores.fill("shop", 500, 10, 20);
        awaitCaughtUp("moving", "shop");
        assertExactCounts("second");
    }
}
