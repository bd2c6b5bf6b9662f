package io.dataplatform.node;

import io.dataplatform.client.PlatformClient;
import io.dataplatform.client.PlatformClientException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.file.DiskFaults;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What clients see of injected disk faults: 507 for a full disk, 503 and /health for a failed sync, 500 for damage. */
class DiskFaultsOverHttpTest {

    @TempDir
    Path dir;
    private final DiskFaults disk = new DiskFaults();
    private Node node;
    private Http http;

    @BeforeEach
    void start() {
        NodeConfig config = NodeFixture.config(dir);
        node = Node.start(config, disk.openEngine(dir, config.engineOptions().withChunkSize(64 * 1024)));
        http = new Http(node.endpoint());
        assertThat(http.postText("/stores/orders/streams/s", "before").status()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private long version() {
        return node.engine().commitPointer(StoreId.of("orders")).orElseThrow().version();
    }

    @Test
    void healthNamesOnlyTheFailedStoresACallerMayRead() {
        node.close();
        Tokens tokens = Tokens.fromEnvironment("orders-reader-token-0123456789 read:orders;"
                + "others-reader-token-0123456789 read:others;admin-token-0123456789 admin");
        NodeConfig config = NodeFixture.config(dir).withTokens(tokens);
        node = Node.start(config, disk.openEngine(dir, config.engineOptions().withChunkSize(64 * 1024)));
        Http admin = new Http(node.endpoint()).withToken("admin-token-0123456789");
        disk.failSyncs("orders");
        assertThat(admin.postText("/stores/orders/streams/s", "lost").error()).isEqualTo("store_failed");
        disk.failSyncs(null);

        Http.Answer mine = new Http(node.endpoint()).withToken("orders-reader-token-0123456789").get("/health");
        assertThat(mine.status()).isEqualTo(503);
        assertThat(mine.json().path("failedStores").get(0).path("store").asText()).isEqualTo("orders");
        for (Http stranger : List.of(new Http(node.endpoint()),
                new Http(node.endpoint()).withToken("others-reader-token-0123456789"))) {
            Http.Answer theirs = stranger.get("/health");
            assertThat(theirs.status()).isEqualTo(503);
            assertThat(theirs.json().path("failedStoreCount").asInt()).isEqualTo(1);
            assertThat(theirs.json().has("failedStores")).as(theirs.text()).isFalse();
        }
    }

    @Test
    void fullDiskAnswers507AndTheNodeRecoversWhenSpaceReturns() {
        disk.diskFull(true);
        Http.Answer full = http.postText("/stores/orders/streams/s", "lost");
        assertThat(full.status()).as(full.text()).isEqualTo(507);
        assertThat(full.error()).isEqualTo("storage_full");
        assertThat(full.header("Retry-After")).isNotNull();
        assertThat(http.post("/stores/orders/events", "application/x-ndjson",
                "{\"stream\":\"s\",\"data\":\"YQ==\"}\n{\"stream\":\"s\",\"data\":\"Yg==\"}".getBytes()).status()).isEqualTo(507);
        assertThat(http.postText("/stores/new-store/streams/s", "x").status()).isEqualTo(507);
        assertThat(version()).isEqualTo(1);
        assertThat(http.get("/health").status()).isEqualTo(200);
        disk.diskFull(false);
        Http.Answer after = http.postText("/stores/orders/streams/s", "after");
        assertThat(after.status()).isEqualTo(201);
        assertThat(after.json().path("version").asLong()).isEqualTo(2);
    }

    @Test
    void failedSyncAnswers503AndHealthNamesTheStoreUntilItIsReopened() {
        disk.failSyncs("orders");
        Http.Answer failed = http.postText("/stores/orders/streams/s", "lost");
        assertThat(failed.status()).as(failed.text()).isEqualTo(503);
        assertThat(failed.error()).isEqualTo("store_failed");
        disk.failSyncs(null);
        assertThat(http.postText("/stores/orders/streams/s", "refused").error()).isEqualTo("store_failed");
        assertThat(http.postText("/stores/others/streams/s", "fine").status()).isEqualTo(201);
        Http.Answer health = http.get("/health");
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().path("status").asText()).isEqualTo("failed");
        assertThat(health.json().path("failedStores").get(0).path("store").asText()).isEqualTo("orders");
        assertThat(health.json().path("failedStores").get(0).path("reason").asText()).contains("sync");
        assertThat(health.json().path("failedStoreCount").asInt()).isEqualTo(1);
        assertThat(http.get("/stores/orders/events").status()).as("committed events stay readable").isEqualTo(200);
        assertThat(version()).isEqualTo(1);

        assertThat(http.post("/stores/orders/reopen", null, null).status()).isEqualTo(200);
        assertThat(http.get("/health").status()).isEqualTo(200);
        Http.Answer after = http.postText("/stores/orders/streams/s", "after");
        assertThat(after.status()).isEqualTo(201);
        assertThat(after.json().path("version").asLong()).isEqualTo(2);
    }

    @Test
    void theClientDoesNotRetryFaultsThatDoNotPassByThemselves() {
        try (PlatformClient client = PlatformClient.remote(node.endpoint(), StoreId.of("orders"))) {
            disk.diskFull(true);
            long before = serverErrors();
            assertThatThrownBy(() -> client.append("s", new byte[]{1}))
                    .isInstanceOfSatisfying(PlatformClientException.class, e -> assertThat(e.status()).isEqualTo(507));
            assertThat(serverErrors() - before).as("one attempt, not six").isEqualTo(1);
            disk.diskFull(false);

            disk.failSyncs("orders");
            before = serverErrors();
            assertThatThrownBy(() -> client.append("s", new byte[]{2}))
                    .isInstanceOfSatisfying(PlatformClientException.class, e -> assertThat(e.error()).isEqualTo("store_failed"));
            assertThat(serverErrors() - before).isEqualTo(1);
            disk.failSyncs(null);
        }
    }

    /** 5xx answers the node has counted. */
    private long serverErrors() {
        String metrics = http.get("/metrics").text();
        return metrics.lines().filter(line -> line.startsWith("dp_http_responses_total{class=\"5xx\"}"))
                .mapToLong(line -> HttpApiTest.wholeNumber(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void damagedBytesAreReportedAsCorruptLogNeverReturnedAsData() {
        disk.damageReads(true);
        Http.Answer read = http.get("/stores/orders/events?from=0");
        assertThat(read.status()).isEqualTo(500);
        assertThat(read.error()).isEqualTo("corrupt_log");
        assertThat(read.detail()).contains("store 'orders'").contains("chunk 00000000000000000000.dat").contains("position 0");
        assertThat(read.text()).doesNotContain("before");
        disk.damageReads(false);
        assertThat(http.get("/stores/orders/events?from=0").status()).isEqualTo(200);
    }
}
