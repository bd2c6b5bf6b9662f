package io.dataplatform.node;

import io.dataplatform.client.NodeCredentials;
import io.dataplatform.client.PlatformClient;
import io.dataplatform.client.PlatformClientException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tokens with scopes, checked on every route of a real node. */
class AccessControlTest {
    static final String ADMIN = "admin-token-0123456789";
    static final String SALES_WRITER = "sales-writer-0123456789";
    static final String READ_ALL = "read-all-token-0123456789";
    static final String TENANT = "tenant-a-reader-0123456789";

    @TempDir
    static java.nio.file.Path dir;
    static Node node;
    static Http anonymous;

    @BeforeAll
    static void startNode() {
        Tokens tokens = Tokens.fromEnvironment(ADMIN + " admin;" + SALES_WRITER + " write:sales,read:sales;"
                + READ_ALL + " read:*;" + TENANT + " read:tenant-a-*");
        node = Node.start(NodeFixture.config(dir).withTokens(tokens));
        anonymous = new Http(node.endpoint());
        Http admin = anonymous.withToken(ADMIN);
        for (String store : List.of("sales", "audit", "tenant-a-orders", "tenant-b-orders")) {
            assertThat(admin.postText("/stores/" + store + "/streams/s", "first").status()).isEqualTo(201);
        }
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    private static void assertStatus(Http.Answer answer, int status, String error) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.error()).isEqualTo(error);
    }

    @Test
    void everyRouteButHealthNeedsAToken() {
        List<Http.Answer> answers = List.of(
                anonymous.get("/stores"),
                anonymous.get("/stores/sales"),
                anonymous.get("/stores/sales/events"),
                anonymous.postText("/stores/sales/streams/s", "x"),
                anonymous.post("/stores/sales/events", "application/x-ndjson", "{\"stream\":\"s\",\"data\":\"x\"}".getBytes(StandardCharsets.UTF_8)),
                anonymous.post("/stores/sales/import", "application/json", "{\"location\":\"x\"}".getBytes(StandardCharsets.UTF_8)),
                anonymous.send("DELETE", "/stores/sales", null, null, null),
                anonymous.post("/stores/sales/reopen", null, null),
                anonymous.post("/system/shutdown", null, null),
                anonymous.get("/metrics"),
                anonymous.get("/no/such/route"),
                anonymous.send("PUT", "/stores", null, null, null));
        for (Http.Answer answer : answers) {
            assertStatus(answer, 401, "unauthorized");
            assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"dataplatform\"");
        }
        assertThat(anonymous.get("/health").status()).isEqualTo(200);
        assertThat(node.engine().commitPointer(StoreId.of("sales")).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void unknownTokenIsRefusedAsInvalid() {
        Http.Answer answer = anonymous.withToken("not-a-known-token-0123456789").get("/stores/sales/events");
        assertStatus(answer, 401, "invalid_token");
        assertThat(answer.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        assertThat(answer.text()).doesNotContain("not-a-known-token");
        // a token is compared whole: its prefix or a longer string is not it
        assertStatus(anonymous.withToken(ADMIN.substring(0, 18)).get("/stores"), 401, "invalid_token");
        assertStatus(anonymous.withToken(ADMIN + "x").get("/stores"), 401, "invalid_token");
    }

    @Test
    void writeScopeAppendsToItsStoreOnly() {
        Http writer = anonymous.withToken(SALES_WRITER);
        assertThat(writer.postText("/stores/sales/streams/s", "by writer").status()).isEqualTo(201);
        assertThat(writer.get("/stores/sales/events").status()).isEqualTo(200);
        assertStatus(writer.postText("/stores/audit/streams/s", "x"), 403, "forbidden");
        assertStatus(writer.get("/stores/audit/events"), 403, "forbidden");
        assertStatus(writer.send("DELETE", "/stores/sales", null, null, null), 403, "forbidden");
        assertStatus(writer.post("/system/shutdown", null, null), 403, "forbidden");
        assertThat(writer.send("DELETE", "/stores/sales", null, null, null).detail()).contains("admin");
        assertThat(writer.postText("/stores/audit/streams/s", "x").detail()).contains("write:audit");
    }

    @Test
    void readScopeReadsButNeverWrites() {
        Http reader = anonymous.withToken(READ_ALL);
        assertThat(reader.get("/stores/audit/events").status()).isEqualTo(200);
        assertThat(reader.get("/stores/sales").status()).isEqualTo(200);
        assertStatus(reader.postText("/stores/audit/streams/s", "x"), 403, "forbidden");
        assertStatus(reader.post("/stores/audit/import", "application/json", "{}".getBytes(StandardCharsets.UTF_8)), 403, "forbidden");
        assertThat(reader.get("/metrics").status()).isEqualTo(200);
        assertThat(node.engine().commitPointer(StoreId.of("audit")).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void prefixWildcardReadsItsTenantOnly() {
        Http tenant = anonymous.withToken(TENANT);
        assertThat(tenant.get("/stores/tenant-a-orders/events").status()).isEqualTo(200);
        assertStatus(tenant.get("/stores/tenant-b-orders/events"), 403, "forbidden");
        assertThat(tenant.getJson("/stores").json().path("stores").findValuesAsText("store")).containsExactly("tenant-a-orders");
    }

    @Test
    void listingShowsEveryStoreToWhoMayReadAll() {
        assertThat(anonymous.withToken(READ_ALL).getJson("/stores").json().path("stores").findValuesAsText("store"))
                .contains("audit", "sales", "tenant-a-orders", "tenant-b-orders");
        assertThat(anonymous.withToken(SALES_WRITER).getJson("/stores").json().path("stores").findValuesAsText("store"))
                .containsExactly("sales");
    }

    @Test
    void adminDeletesAndReopens() {
        Http admin = anonymous.withToken(ADMIN);
        assertThat(admin.postText("/stores/doomed/streams/s", "x").status()).isEqualTo(201);
        assertThat(admin.post("/stores/doomed/reopen", null, null).status()).isEqualTo(200);
        assertThat(admin.send("DELETE", "/stores/doomed", null, null, null).status()).isEqualTo(200);
        assertStatus(admin.post("/stores/doomed/reopen", null, null), 404, "store_not_found");
    }

    @Test
    void clientSendsItsToken() {
        try (PlatformClient client = PlatformClient.remote(node.endpoint(), StoreId.of("sales"), NodeCredentials.token(SALES_WRITER));
             PlatformClient stranger = PlatformClient.remote(node.endpoint(), StoreId.of("sales"))) {
            assertThat(client.append("s", "from the client".getBytes(StandardCharsets.UTF_8)).version()).isPositive();
            try (StoreReader reader = client.remoteReader()) {
                assertThat(reader.read(0, 10, 65536).size()).isPositive();
            }
            assertThatThrownBy(() -> stranger.append("s", new byte[1])).isInstanceOf(PlatformClientException.class)
                    .satisfies(e -> assertThat(((PlatformClientException) e).status()).isEqualTo(401));
        }
        assertThat(NodeCredentials.token(SALES_WRITER).toString()).doesNotContain(SALES_WRITER);
    }

    @Test
    void withoutTokensTheNodeRefusesToListenBeyondLoopback(@TempDir java.nio.file.Path other) {
        NodeConfig open = NodeFixture.config(other).withHost("0.0.0.0");
        assertThatThrownBy(() -> Node.start(open)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without access tokens").hasMessageContaining("--insecure");
        try (Node insecure = Node.start(open.withInsecure(true))) {
            assertThat(insecure.port()).isPositive();
        }
        try (Node loopback = Node.start(NodeFixture.config(other).withHost("localhost"))) {
            assertThat(new Http(loopback.endpoint()).get("/health").status()).isEqualTo(200);
        }
    }
}
