package io.dataplatform.store.azure;

import io.dataplatform.store.EngineLocations;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.StoreEngine;
import io.dataplatform.testing.azurite.Azurite;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fresh containers of the shared Azurite emulator for the engine contracts; each engine opened on
 * a location writes as a holder of its own, and closing it releases its leases, so the next engine
 * on the location takes the stores over.
 */
final class AzureLocations implements EngineLocations {

    private static final AtomicInteger ENGINES = new AtomicInteger();

    @Override
    public Location create() {
        Azurite azurite = Azurite.shared();
        String container = azurite.uniqueContainer("contract");
        String location = azurite.location(container);
        return new Location() {
            @Override
            public StoreEngine open(EngineOptions options) {
                return AzureStorageProvider.openEngine(location, options,
                        BlobFixture.options("contract-engine-" + ENGINES.incrementAndGet()));
            }

            @Override
            public void close() {
                azurite.serviceClient().getBlobContainerClient(container).deleteIfExists();
                azurite.serviceClient().getBlobContainerClient(container + BlobAccount.STAGING_SUFFIX).deleteIfExists();
            }
        };
    }
}
