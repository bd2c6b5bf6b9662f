package io.dataplatform.views;

import io.dataplatform.testing.azurite.Azurite;
import io.dataplatform.testing.azurite.AzuriteExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract on the {@code azure} backend, against Azurite: each test in an Azure container of its own. */
@ExtendWith(AzuriteExtension.class)
class AzureViewStoreTest extends ViewStoreContract {

    private String location;

    @BeforeEach
    void freshContainer(Azurite azurite) {
        location = azurite.location(azurite.uniqueContainer("views"));
    }

    @Override
    String location() {
        return location;
    }
}
