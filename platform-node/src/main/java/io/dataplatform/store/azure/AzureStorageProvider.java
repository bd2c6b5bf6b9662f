package io.dataplatform.store.azure;

import io.dataplatform.rules.StorageLocation;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CommitPointerFormat;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.StagingArea;
import io.dataplatform.store.StorageProvider;
import io.dataplatform.store.StoreEngine;
import io.dataplatform.store.StoreException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.StoreRecreatedException;
import io.dataplatform.store.log.LogStorageEngine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code azure} backend: a storage location that is an Azure Storage connection string,
 * optionally followed by {@code |container} (default {@value BlobAccount#DEFAULT_CONTAINER}), as
 * {@link StorageLocation} reads it: {@code UseDevelopmentStorage=true|dp-store}. Stores are blobs
 * in the container (docs/storage-format.md, "Blobs"); batches are staged in
 * {@code <container>-staging}.
 *
 * <ul>
 *   <li>{@link #openEngine(String, EngineOptions, AzureStoreOptions)}: the writer of the stores of
 *   the location: the engine every backend shares ({@link LogStorageEngine}) over blobs. Each store
 *   it writes is leased to it while it runs; another process asked to write a leased store refuses
 *   with {@link io.dataplatform.store.StoreHeldException}.</li>
 *   <li>{@link #openReader(String, StoreId, String, AzureStoreOptions)}: a direct reader in any
 *   process, no lease needed: ranged reads with read-ahead, commit waits by polling the pointer
 *   blob.</li>
 *   <li>{@link #openStagingArea}: where a client beside the node stages batches for import.</li>
 * </ul>
 * The short forms use {@link AzureStoreOptions#fromEnvironment()}. The SDK
 * ({@code com.azure:azure-storage-blob}) is an optional dependency of this library: an application
 * that uses this backend declares it. Thread-safe.
 */
public final class AzureStorageProvider implements StorageProvider {

    /** Accounts of readers and staging areas, shared by location and options (HTTP clients, pollers). */
    private static final Map<Key, Shared> SHARED = new ConcurrentHashMap<>();

    private record Key(String location, AzureStoreOptions options) {
    }

    private record Shared(BlobAccount account, BlobPointerPoller poller) {
    }

    @Override
    public String name() {
        return "azure";
    }

    @Override
    public boolean accepts(String location) {
        return StorageLocation.is(location, StorageLocation.Kind.AZURE);
    }

    @Override
    public StoreEngine openEngine(String location, EngineOptions options) {
        return openEngine(location, options, AzureStoreOptions.fromEnvironment());
    }

    /**
     * Opens every store of an Azure location for writing, in this process; other processes may
     * write other stores of the same location. Creates the container (and its staging container)
     * when the first store is opened.
     *
     * @throws io.dataplatform.store.InvalidInputException if the location is not a valid Azure location
     */
    public static StoreEngine openEngine(String location, EngineOptions options, AzureStoreOptions azure) {
        return new AzureStorageEngine(new BlobLogSpace(BlobAccount.of(location, azure), options), options);
    }

    @Override
    public StagingArea openStagingArea(String location) {
        return new BlobStagingArea(shared(location, AzureStoreOptions.fromEnvironment()).account());
    }

    @Override
    public StoreReader openReader(String location, StoreId store) {
        return openReader(location, store, null);
    }

    @Override
    public StoreReader openReader(String location, StoreId store, String expectedIncarnation) {
        return openReader(location, store, expectedIncarnation, AzureStoreOptions.fromEnvironment());
    }

    /**
     * Opens one store of an Azure location read-only, beside whatever process writes it. The reader
     * reads the commit pointer blob (and the incarnation) at every read, so a store deleted and
     * created again under it raises {@link StoreRecreatedException}; its commit waits are woken by
     * a poll of the pointer blob every {@link AzureStoreOptions#pollInterval()}.
     *
     * @param expectedIncarnation the incarnation the caller's position belongs to, or null for any
     * @throws StoreNotFoundException  if the store has no commit pointer
     * @throws StoreRecreatedException if the store has another incarnation
     */
    public static StoreReader openReader(String location, StoreId store, String expectedIncarnation,
                                         AzureStoreOptions azure) {
        return openReader(shared(location, azure), store, expectedIncarnation);
    }

    /** A direct reader through {@code account} (an engine's, for a store another process writes). */
    static StoreReader openReader(BlobAccount account, StoreId store, String expectedIncarnation) {
        Shared shared = SHARED.computeIfAbsent(new Key(account.location().toString() + "#" + System.identityHashCode(account),
                account.options()), key -> shared(account));
        return openReader(shared, store, expectedIncarnation);
    }

    private static StoreReader openReader(Shared shared, StoreId store, String expectedIncarnation) {
        AzureStoreOptions azure = shared.account().options();
        StoreBlobs blobs = new StoreBlobs(store, shared.account());
        String[] known = {incarnation(blobs)};
        CommitPointer first = pointer(blobs);
        if (first == null) {
            throw new StoreNotFoundException(store.value());
        }
        if (expectedIncarnation != null && !expectedIncarnation.equals(known[0])) {
            throw new StoreRecreatedException(store.value(), expectedIncarnation, known[0]);
        }
        CommitPointer[] seen = {first};
        return new BlobStoreReader(blobs, () -> {
            CommitPointer read = pointer(blobs);
            if (read == null) {
                throw new StoreException(store.value(), "the commit pointer of store '" + store + "' ("
                        + blobs.describe(CommitPointerFormat.NAME) + ") is missing or damaged (was the store deleted?)");
            }
            // the incarnation is read again whenever the pointer moved: a store deleted and created
            // again under the reader has moved it
            synchronized (seen) {
                if (!read.equals(seen[0]) || known[0] == null) {
                    String now = incarnation(blobs);
                    if (known[0] == null && expectedIncarnation == null) {
                        known[0] = now;
                    } else if (!Objects.equals(known[0], now)) {
                        throw new StoreRecreatedException(store.value(), known[0] == null ? expectedIncarnation : known[0], now);
                    }
                    seen[0] = read;
                }
            }
            return read;
        }, () -> known[0], shared.poller().source(store), azure.pollInterval());
    }

    private static Shared shared(String location, AzureStoreOptions azure) {
        return SHARED.computeIfAbsent(new Key(location, azure), key -> shared(BlobAccount.of(location, azure)));
    }

    private static Shared shared(BlobAccount account) {
        return new Shared(account, new BlobPointerPoller(account.options().pollInterval(),
                store -> pointer(new StoreBlobs(store, account))));
    }

    /** The store's commit pointer as its blob holds it, or null if it has none (or none valid). */
    static CommitPointer pointer(StoreBlobs blobs) {
        try {
            byte[] image = blobs.readPointer();
            return image == null ? null : CommitPointerFormat.newest(blobs.store().value(),
                    blobs.describe(CommitPointerFormat.NAME), ByteBuffer.wrap(image)).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String incarnation(StoreBlobs blobs) {
        try {
            return blobs.readIncarnation();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
