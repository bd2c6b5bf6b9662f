package io.dataplatform.store.azure;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.IncarnationFormat;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.copy.CopyLocation;
import io.dataplatform.store.log.LogSpace;

import java.io.IOException;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * An Azure location as one end of a {@link io.dataplatform.store.copy.StoreCopy}: reads through the
 * backend's direct reader (ranged reads with read-ahead), writes through its {@link BlobLogSpace}
 * (the node's own {@link BlobStoreLog}, under the store's lease, so no node can write the store
 * while the copy does). A store is created with a given incarnation by writing the incarnation blob
 * first: the space's creation keeps an incarnation that is there and adds the first chunk and the
 * pointer. Thread-safe.
 */
public final class BlobCopyLocation implements CopyLocation {

    private final String location;
    private final AzureStoreOptions azure;
    private final BlobAccount account;
    private final BlobLogSpace space;

    private BlobCopyLocation(String location, EngineOptions options, AzureStoreOptions azure) {
        this.location = location;
        this.azure = azure;
        this.account = BlobAccount.of(location, azure);
        this.space = new BlobLogSpace(account, options);
    }

    /** The location with the options of the environment ({@link AzureStoreOptions#fromEnvironment()}). */
    public static BlobCopyLocation open(String location, EngineOptions options) {
        return open(location, options, AzureStoreOptions.fromEnvironment());
    }

    public static BlobCopyLocation open(String location, EngineOptions options, AzureStoreOptions azure) {
        return new BlobCopyLocation(location, options, azure);
    }

    @Override
    public String describe() {
        return account.describe();
    }

    @Override
    public StoreReader openReader(StoreId store) {
        return AzureStorageProvider.openReader(location, store, null, azure);
    }

    @Override
    public NavigableSet<Long> chunkStarts(StoreId store) throws IOException {
        try {
            return new TreeSet<>(new StoreBlobs(store, account).listChunks().keySet());
        } catch (BlobStorageException e) {
            if (BlobAccount.notFound(e)) {
                return new TreeSet<>();
            }
            throw e;
        }
    }

    @Override
    public String incarnation(StoreId store) throws IOException {
        try {
            return new StoreBlobs(store, account).readIncarnation();
        } catch (BlobStorageException e) {
            if (BlobAccount.notFound(e)) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public void createStore(StoreId store, String incarnation) throws IOException {
        if (!IncarnationFormat.isValid(incarnation)) {
            throw new IllegalArgumentException("not an incarnation: " + incarnation);
        }
        account.ensureContainers(store.value(), true);
        StoreBlobs blobs = new StoreBlobs(store, account);
        BlockBlobSimpleUploadOptions upload = new BlockBlobSimpleUploadOptions(
                BinaryData.fromBytes(IncarnationFormat.encode(incarnation)))
                .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*"));
        try {
            account.call(store.value(), "creating " + blobs.describe(StoreBlobs.INCARNATION),
                    () -> blobs.incarnation().uploadWithResponse(upload, null, Context.NONE));
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 409 || e.getStatusCode() == 412) {
                throw new IOException("store '" + store + "' is already in " + describe(), e);
            }
            throw e;
        }
        // the space creates the first chunk and the pointer, keeping the incarnation written above
        space.open(store, true).close();
    }

    @Override
    public LogSpace space() {
        return space;
    }

    @Override
    public void close() {
        space.close();
    }
}
