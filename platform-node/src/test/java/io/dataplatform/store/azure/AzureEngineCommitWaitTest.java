package io.dataplatform.store.azure;

import io.dataplatform.store.EngineCommitWaitContract;
import io.dataplatform.testing.azurite.AzuriteExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The commit waits of the engine's own readers, on Azure blobs against Azurite. */
@ExtendWith(AzuriteExtension.class)
class AzureEngineCommitWaitTest extends EngineCommitWaitContract {

    AzureEngineCommitWaitTest() {
        super(new AzureLocations());
    }
}
