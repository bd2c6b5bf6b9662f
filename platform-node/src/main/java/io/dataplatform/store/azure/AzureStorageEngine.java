package io.dataplatform.store.azure;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.StoreHeldException;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.StoreException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreStats;
import io.dataplatform.store.log.LogStorageEngine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.NavigableMap;
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
 *   <li>Reading never claims a store: readers need no lease, so {@link #openReader},
 *   {@link #commitPointer} and {@link #stats} of a store this engine has not opened for writing
 *   (another process may hold it, or nobody) read its blobs directly (commit waits then poll the
 *   pointer blob). Only a write opens a store and takes its lease, so nodes sharing a container
 *   each hold the stores they write, not every store they were asked about (the node's look at
 *   every store at startup included). Appends to a store another process holds are refused with
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
        if (!isOpen(store)) {
            return AzureStorageProvider.openReader(account, store, expectedIncarnation);
        }
        try {
            return super.openReader(store, expectedIncarnation);
        } catch (StoreHeldException held) {
            return AzureStorageProvider.openReader(account, store, expectedIncarnation);
        }
    }

    @Override
    public Optional<CommitPointer> commitPointer(StoreId store) {
        if (!isOpen(store)) {
            return Optional.ofNullable(AzureStorageProvider.pointer(new StoreBlobs(store, account)));
        }
        try {
            return super.commitPointer(store);
        } catch (StoreHeldException held) {
            return Optional.ofNullable(AzureStorageProvider.pointer(new StoreBlobs(store, account)));
        }
    }

    @Override
    public Optional<StoreStats> stats(StoreId store) {
        if (isOpen(store)) {
            try {
                return super.stats(store);
            } catch (StoreHeldException held) {
                // taken over since: read as any reader would
            }
        }
        StoreBlobs blobs = new StoreBlobs(store, account);
        CommitPointer pointer = AzureStorageProvider.pointer(blobs);
        if (pointer == null) {
            return Optional.empty();
        }
        try {
            NavigableMap<Long, Long> chunks = blobs.listChunks();
            long bytes = chunks.values().stream().mapToLong(Long::longValue).sum();
            return Optional.of(new StoreStats(store, bytes, chunks.size(), pointer.version(), pointer.position(),
                    blobs.readIncarnation()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of store '" + store + "'", e);
        }
    }

    @Override
    public Map<StoreId, StoreException> damagedStores() {
        Map<StoreId, StoreException> damaged = new TreeMap<>(super.damagedStores());
        account.unreachableStores().forEach((store, failure) -> damaged.putIfAbsent(StoreId.of(store), failure));
        return damaged;
    }
}
