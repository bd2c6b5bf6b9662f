package io.dataplatform.store.azure;

import io.dataplatform.store.StoreEngineContract;
import io.dataplatform.testing.azurite.AzuriteExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The engine contract on Azure blobs, against Azurite. */
@ExtendWith(AzuriteExtension.class)
class AzureEngineContractTest extends StoreEngineContract {

    AzureEngineContractTest() {
        super(new AzureLocations());
    }
}
