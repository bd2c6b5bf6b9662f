package io.dataplatform.views;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataplatform.testing.azurite.Azurite;
import io.dataplatform.testing.azurite.AzuriteExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract on the {@code azure} backend, against Azurite: each test in an Azure container of its own. */
@ExtendWith(AzuriteExtension.class)
class AzureViewStoreTest extends ViewStoreContract {

    private Azurite azurite;
    private String azureContainer;
    private String location;

    @BeforeEach
    void freshContainer(Azurite azurite) {
        this.azurite = azurite;
        azureContainer = azurite.uniqueContainer("views");
        location = azurite.location(azureContainer);
    }

    @Override
    String location() {
        return location;
    }

    @Test
    void eachViewIsOneBlobNamedByItsKey() {
        ViewContainer views = open().container("chat");
        views.commit(List.of(ViewChange.write("users/42", "{\"n\":1}".getBytes(UTF_8)),
                ViewChange.write("ends-with-dot.", "{}".getBytes(UTF_8))), Checkpoint.at(9));
        var blobs = azurite.serviceClient().getBlobContainerClient(azureContainer);
        assertThat(blobs.getBlobClient("chat/views/users/42.json").downloadContent().toString()).isEqualTo("{\"n\":1}");
        assertThat(blobs.getBlobClient("chat/views/ends-with-dot..json").exists()).isTrue();
        assertThat(blobs.getBlobClient("chat/checkpoint.json").exists()).isTrue();
        assertThat(blobs.getBlobClient("chat/journal").getProperties().getBlobSize()).as("emptied after the commit").isZero();
    }

    @Test
    void keysOfMoreSegmentsThanBlobNamesAllowAreRefusedNamingTheLimit() {
        ViewContainer views = open().container("views");
        String longest = "a/".repeat(249) + "b"; // 250 segments
        views.writeBytes(longest, "{}".getBytes(UTF_8));
        assertThat(views.readBytes(longest)).asString(UTF_8).isEqualTo("{}");
        String tooMany = "a/".repeat(250) + "b"; // 251 segments
        assertThatThrownBy(() -> views.commit(List.of(ViewChange.write("fine", "{}".getBytes(UTF_8)),
                        ViewChange.write(tooMany, "{}".getBytes(UTF_8))), Checkpoint.at(1)))
                .isInstanceOf(InvalidViewKeyException.class)
                .hasMessageContaining("at most 250");
        assertThat(views.exists("fine")).as("nothing of the refused commit is written").isFalse();
        views.writeBytes("after", "{}".getBytes(UTF_8));
        assertThat(views.exists("after")).as("the container still takes commits").isTrue();
    }
}
