package io.dataplatform.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataplatform.client.PlatformClient;
import io.dataplatform.store.AppendResult;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.Event;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.testing.azurite.Azurite;
import io.dataplatform.testing.azurite.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A node whose storage location is an Azure connection string: it serves appends, reads and imports from blobs. */
@ExtendWith(AzuriteExtension.class)
class NodeOnBlobsTest {

    private static final EngineOptions OPTIONS = EngineOptions.defaults().withChunkSize(64 * 1024).withWriterThreads(2);

    @Test
    void aNodeOnAnAzureLocationServesAppendsReadsAndImportsStagedInTheStagingContainer() throws Exception {
        Azurite azurite = Azurite.shared();
        String location = azurite.location(azurite.uniqueContainer("node"));
        NodeConfig config = NodeConfig.defaults().withStoreLocation(location).withPort(0).withEventLoops(2);
        try (Node node = Node.start(config, OPTIONS)) {
            Http http = new Http(node.endpoint());
            assertThat(http.postText("/stores/sales/streams/s", "over http").status()).isEqualTo(201);
            JsonNode events = http.getJson("/stores/sales/events?from=0").json().path("events");
            assertThat(events).hasSize(1);

            try (PlatformClient client = PlatformClient.connect(location, StoreId.of("sales"), node.endpoint())) {
                List<NewEvent> batch = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    batch.add(NewEvent.of("imported", "row " + i));
                }
                AppendResult imported = client.importBatch(batch);
                assertThat(imported.version()).isEqualTo(301);
                assertThat(imported.count()).isEqualTo(300);
                // the staged blob was consumed by the import
                assertThat(azurite.serviceClient().getBlobContainerClient(
                        io.dataplatform.rules.StorageLocation.parse(location).container() + "-staging")
                        .listBlobs().stream().count()).isZero();
                try (StoreReader reader = client.reader()) {
                    List<Event> read = new ArrayList<>();
                    long from = 0;
                    for (EventBatch b = reader.read(from); !b.isEmpty(); b = reader.read(from)) {
                        b.forEach(read::add);
                        from = b.next();
                    }
                    assertThat(read).hasSize(301);
                    assertThat(read.get(0).dataAsString()).isEqualTo("over http");
                    assertThat(read.get(300).dataAsString()).isEqualTo("row 299");
                }
            }
            assertThat(http.get("/health").status()).isEqualTo(200);
        }
    }

    /**
     * An account that cannot be reached (nothing listens at its endpoint): the node starts and
     * stays up, answers 503 storage_unavailable for the stores it is asked to use, and lists them
     * in /health.
     */
    @Test
    void aNodeWhoseAccountIsUnreachableStaysUpAnswers503AndReportsTheStoreInHealth() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String location = "DefaultEndpointsProtocol=http;AccountName=" + Azurite.ACCOUNT + ";AccountKey="
                + Azurite.ACCOUNT_KEY + ";BlobEndpoint=http://127.0.0.1:" + closedPort + "/" + Azurite.ACCOUNT + ";|dp-store";
        NodeConfig config = NodeConfig.defaults().withStoreLocation(location).withPort(0).withEventLoops(2);
        try (Node node = Node.start(config, OPTIONS)) {
            Http http = new Http(node.endpoint());
            Http.Answer append = http.postText("/stores/sales/streams/s", "lost");
            assertThat(append.status()).isEqualTo(503);
            assertThat(append.error()).isEqualTo("storage_unavailable");
            assertThat(append.detail()).contains("sales").doesNotContain(Azurite.ACCOUNT_KEY);
            assertThat(append.header("Retry-After")).isNotNull();

            Http.Answer health = http.get("/health");
            assertThat(health.status()).isEqualTo(503);
            JsonNode store = health.json().path("failedStores").get(0);
            assertThat(store.path("store").asText()).isEqualTo("sales");
            assertThat(store.path("state").asText()).isEqualTo("unavailable");
            assertThat(store.path("error").asText()).isEqualTo("storage_unavailable");
            assertThat(health.text()).doesNotContain(Azurite.ACCOUNT_KEY);
        }
    }
}
