package io.dataplatform.store.azure;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.StoreHeldException;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.StoreException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.log.LogStorageEngine;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The engine every backend shares, over the stores of one Azure location. What it adds:
 * <ul>
 *   <li>Stores whose last call to the service failed because the account could not be reached are
 *   reported with {@link #damagedStores()} (as
 *   {@link io.dataplatform.store.StorageUnavailableException}), alongside those that could not be
 *   opened, until a call reaches the service again; the node shows them in {@code /health} and
 *   answers 503 for them.</li>
 *   <li>A store another process writes (it holds the lease) is still readable here: readers need no
 *   lease, so {@link #openReader} and {@link #commitPointer} fall back to reading its blobs
 *   directly (commit waits then poll the pointer blob), while appends to it are refused with
 *   {@link StoreHeldException}.</li>
 * </ul>
 * Thread-safe.
 */
final class AzureStorageEngine extends LogStorageEngine {

    private final BlobAccount account;

    AzureStorageEngine(BlobLogSpace space, EngineOptions options) {
        super(space, options);
        this.account = space.account();
    }

    @Override
    public StoreReader openReader(StoreId store) {
        return openReader(store, null);
    }

    @Override
    public StoreReader openReader(StoreId store, String expectedIncarnation) {
        try {
            return super.openReader(store, expectedIncarnation);
        } catch (StoreHeldException held) {
            return AzureStorageProvider.openReader(account, store, expectedIncarnation);
        }
    }

    @Override
    public Optional<CommitPointer> commitPointer(StoreId store) {
        try {
            return super.commitPointer(store);
        } catch (StoreHeldException held) {
            return Optional.ofNullable(AzureStorageProvider.pointer(new StoreBlobs(store, account)));
        }
    }

    @Override
    public Map<StoreId, StoreException> damagedStores() {
        Map<StoreId, StoreException> damaged = new TreeMap<>(super.damagedStores());
        account.unreachableStores().forEach((store, failure) -> damaged.putIfAbsent(StoreId.of(store), failure));
        return damaged;
    }
}
