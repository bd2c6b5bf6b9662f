package io.dataplatform.projections.worker;

import io.dataplatform.node.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker with tokens in the node's format: reads need read:<store>, changes admin, /health is open. */
@ExtendWith(VertxExtension.class)
class WorkerAccessTest {

    private static final String ADMIN = "admin-token-0123456789";
    private static final String READER = "reader-token-0123456789";

    @TempDir
    Path dir;
    WorkerServer worker;
    WebClient http;

    @BeforeEach
    void start(Vertx vertx) {
        worker = WorkerServer.start(WorkerServer.Settings.defaults().withPort(0)
                .withTokens(Tokens.fromEnvironment(ADMIN + " admin;" + READER + " read:shop")));
        http = WebClient.create(vertx);
    }

    @AfterEach
    void stop() {
        http.close();
        worker.close();
    }

    private HttpResponse<Buffer> call(HttpMethod method, String path, String token, JsonObject body) {
        var request = http.request(method, worker.port(), "127.0.0.1", path);
        if (token != null) {
            request.bearerTokenAuthentication(token);
        }
        return (body == null ? request.send() : request.sendBuffer(body.toBuffer())).await();
    }

    @Test
    void readsNeedAReadTokenAndChangesAnAdminToken() {
        JsonObject create = new JsonObject().put("name", "counts").put("config", new JsonObject()
                .put("projection.class", "stream-counts").put("store", "shop")
                .put("store.location", dir.resolve("data").toString()).put("views.location", dir.resolve("views").toString()));
        HttpResponse<Buffer> anonymous = call(HttpMethod.GET, "/projections", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.getHeader("WWW-Authenticate")).startsWith("Bearer");
        assertThat(anonymous.bodyAsJsonObject().getString("error")).isEqualTo("unauthorized");
        assertThat(call(HttpMethod.GET, "/projections", "not-a-known-token-at-all", null).bodyAsJsonObject()
                .getString("error")).isEqualTo("invalid_token");
        assertThat(call(HttpMethod.GET, "/health", null, null).statusCode()).isEqualTo(200);

        HttpResponse<Buffer> forbidden = call(HttpMethod.POST, "/projections", READER, create);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.bodyAsJsonObject().getString("detail")).contains("admin");
        assertThat(call(HttpMethod.POST, "/projections", ADMIN, create).statusCode()).isEqualTo(201);

        assertThat(call(HttpMethod.GET, "/projections", READER, null).statusCode()).isEqualTo(200);
        assertThat(call(HttpMethod.GET, "/projections/counts/status", READER, null).statusCode()).isEqualTo(200);
        assertThat(call(HttpMethod.GET, "/metrics", READER, null).statusCode()).isEqualTo(200);
        assertThat(call(HttpMethod.PUT, "/projections/counts/pause", READER, null).statusCode()).isEqualTo(403);
        assertThat(call(HttpMethod.DELETE, "/projections/counts", ADMIN, null).statusCode()).isEqualTo(204);
    }
}
