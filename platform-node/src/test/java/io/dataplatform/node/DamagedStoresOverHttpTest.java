package io.dataplatform.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.file.FileStorageEngine;
import io.dataplatform.store.file.StoreFileDamage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node over a location where one store is damaged (its commit pointer past the end of its data)
 * and one was written in a newer format: both are reported, the same way, in the listing,
 * {@code /health} and {@code /metrics}, while every other store serves reads and writes; the node
 * starts and stops as usual.
 */
class DamagedStoresOverHttpTest {

    @TempDir
    Path dir;

    private void writeStores(String... stores) {
        try (FileStorageEngine engine = new FileStorageEngine(dir, EngineOptions.defaults())) {
            for (String store : stores) {
                for (int i = 0; i < 5; i++) {
                    engine.append(StoreId.of(store), List.of(NewEvent.of("s", store + "-" + i))).join();
                }
            }
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void oneDamagedStoreIsListedWithItsStateAndTheOthersServe() throws Exception {
        writeStores("alpha", "broken", "newer", "omega");
        StoreFileDamage.truncateLastChunk(dir.resolve("broken"), 7);
        StoreFileDamage.setPointerFormatVersion(dir.resolve("newer"), 2, true);
        Map<String, String> newerBefore = StoreFileDamage.snapshot(dir.resolve("newer"));

        try (Node node = NodeFixture.start(dir)) {
            Http http = new Http(node.endpoint());
            // startup opens every store: the damage shows without anyone touching the stores
            await(() -> node.engine().damagedStores().size() == 2, "the node found both damaged stores");

            Http.Answer health = http.get("/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().path("failedStoreCount").asInt()).isEqualTo(2);
            JsonNode failed = health.json().path("failedStores");
            assertThat(failed).hasSize(2);
            assertThat(failed.get(0).path("store").asText()).isEqualTo("broken");
            assertThat(failed.get(0).path("state").asText()).isEqualTo("damaged");
            assertThat(failed.get(0).path("error").asText()).isEqualTo("corrupt_log");
            assertThat(failed.get(0).path("reason").asText()).contains("past the end of the chunk");
            assertThat(failed.get(1).path("store").asText()).isEqualTo("newer");
            assertThat(failed.get(1).path("error").asText()).isEqualTo("unsupported_format");

            Http.Answer list = http.get("/stores");
            assertThat(list.status()).as(list.text()).isEqualTo(200);
            JsonNode stores = list.json().path("stores");
            assertThat(stores).hasSize(4);
            assertThat(stores.get(0).path("store").asText()).isEqualTo("alpha");
            assertThat(stores.get(0).path("state").asText()).isEqualTo("ok");
            assertThat(stores.get(0).path("commit").path("version").asLong()).isEqualTo(5);
            assertThat(stores.get(1).path("store").asText()).isEqualTo("broken");
            assertThat(stores.get(1).path("state").asText()).isEqualTo("damaged");
            assertThat(stores.get(1).path("error").asText()).isEqualTo("corrupt_log");
            assertThat(stores.get(1).path("detail").asText()).isEqualTo(failed.get(0).path("reason").asText());
            assertThat(stores.get(2).path("state").asText()).isEqualTo("damaged");
            assertThat(stores.get(2).path("error").asText()).isEqualTo("unsupported_format");
            assertThat(stores.get(2).path("detail").asText()).contains("format version 2", "reads format version 1");
            assertThat(stores.get(3).path("state").asText()).isEqualTo("ok");

            String metrics = http.get("/metrics").text();
            assertThat(HttpApiTest.metricValue(metrics, "dp_damaged_stores")).isEqualTo(2);
            assertThat(HttpApiTest.metricValue(metrics, "dp_failed_stores")).isZero();

            // the others read and write as usual
            assertThat(http.postText("/stores/alpha/streams/s", "more").status()).isEqualTo(201);
            assertThat(http.getJson("/stores/omega/events?from=0").json().path("events")).hasSize(5);
            // the damaged ones answer their error
            Http.Answer broken = http.getJson("/stores/broken/events?from=0");
            assertThat(broken.status()).isEqualTo(500);
            assertThat(broken.error()).isEqualTo("corrupt_log");
            Http.Answer newer = http.postText("/stores/newer/streams/s", "refused");
            assertThat(newer.status()).isEqualTo(500);
            assertThat(newer.error()).isEqualTo("unsupported_format");
        }
        // the node stopped as usual, and the store of the newer release is as that release left it
        assertThat(StoreFileDamage.snapshot(dir.resolve("newer"))).isEqualTo(newerBefore);
    }
}
