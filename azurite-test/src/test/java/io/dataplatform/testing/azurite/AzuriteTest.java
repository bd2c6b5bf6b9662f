package io.dataplatform.testing.azurite;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(AzuriteExtension.class)
class AzuriteTest {

    @Test
    void containerIsCreatedAndBlobWrittenAndReadThroughTheSdk(Azurite azurite) {
        BlobServiceClient service = new BlobServiceClientBuilder()
                .connectionString(azurite.connectionString())
                .retryOptions(Azurite.shortRetries())
                .buildClient();
        String name = azurite.uniqueContainer("harness");
        BlobContainerClient container = service.createBlobContainer(name);
        BlobClient blob = container.getBlobClient("views/a.json");
        blob.upload(BinaryData.fromString("{\"count\":1}"));

        assertThat(container.exists()).isTrue();
        assertThat(blob.downloadContent().toString()).isEqualTo("{\"count\":1}");
        assertThat(container.listBlobs().stream().map(item -> item.getName())).containsExactly("views/a.json");
    }

    @Test
    void oneEmulatorPerJvmWithAnExplicitEndpointOnItsPort(Azurite azurite) {
        assertThat(Azurite.shared()).isSameAs(azurite);
        assertThat(azurite.connectionString())
                .contains("BlobEndpoint=http://127.0.0.1:" + azurite.port() + "/devstoreaccount1;");
        assertThat(azurite.location("dp-views")).isEqualTo(azurite.connectionString() + "|dp-views");
    }

    @Test
    void uniqueContainerNamesAreValidAndDistinct(Azurite azurite) {
        Set<String> names = new HashSet<>();
        for (String prefix : new String[] {"Views Test", "--x--", "", "a".repeat(80), "ÄÖ_ü"}) {
            for (int i = 0; i < 20; i++) {
                String name = azurite.uniqueContainer(prefix);
                assertThat(name).matches("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,47}");
                assertThat(names.add(name)).as("distinct: %s", name).isTrue();
            }
        }
    }

    @Test
    void blobsOutliveAnOutage(Azurite azurite) {
        BlobContainerClient container = azurite.serviceClient().createBlobContainer(azurite.uniqueContainer("outage"));
        container.getBlobClient("kept").upload(BinaryData.fromBytes("kept".getBytes(StandardCharsets.UTF_8)));

        azurite.stop();
        azurite.start();

        assertThat(container.getBlobClient("kept").downloadContent().toString()).isEqualTo("kept");
    }
}
