package io.dataplatform.store.azure;

import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.StoreException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.log.LogStorageEngine;

import java.util.Map;
import java.util.TreeMap;

/**
 * The engine every backend shares, over the stores of one Azure location. What it adds: stores
 * whose last call to the service failed because the account could not be reached are reported
 * with {@link #damagedStores()} (as {@link io.dataplatform.store.StorageUnavailableException}),
 * alongside those that could not be opened, until a call reaches the service again; the node
 * shows them in {@code /health} and answers 503 for them. Thread-safe.
 */
final class AzureStorageEngine extends LogStorageEngine {

    private final BlobAccount account;

    AzureStorageEngine(BlobLogSpace space, EngineOptions options) {
        super(space, options);
        this.account = space.account();
    }

    @Override
    public Map<StoreId, StoreException> damagedStores() {
        Map<StoreId, StoreException> damaged = new TreeMap<>(super.damagedStores());
        account.unreachableStores().forEach((store, failure) -> damaged.putIfAbsent(StoreId.of(store), failure));
        return damaged;
    }
}
