package io.dataplatform.store.azure;

import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CommitPointerFormat;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.StagingArea;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.log.CommitWaitSource;
import io.dataplatform.store.log.LogSpace;
import io.dataplatform.store.log.StoreLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The stores of one Azure location: a prefix {@code <store>/} per store in the location's
 * container (layout in {@link StoreBlobs}), and the staging container beside it. Opening a store
 * for writing takes its lease ({@link StoreLease}) and recovers it ({@link BlobLogRecovery});
 * several processes may share a location, each store being written by the one that holds its
 * lease. Renewals run on one daemon thread ({@code dp-blob-lease}) per space. Thread-safe.
 */
final class BlobLogSpace implements LogSpace {

    private static final Logger LOG = LoggerFactory.getLogger(BlobLogSpace.class);

    private final BlobAccount account;
    private final EngineOptions options;
    private final BlobStagingArea staging;
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "dp-blob-lease");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean containersReady;

    BlobLogSpace(BlobAccount account, EngineOptions options) {
        this.account = account;
        this.options = options;
        this.staging = new BlobStagingArea(account);
    }

    BlobAccount account() {
        return account;
    }

    @Override
    public String describe() {
        return account.describe();
    }

    @Override
    public List<StoreId> list() throws IOException {
        return account.call(null, "listing the stores of " + describe(), () -> {
            TreeSet<StoreId> found = new TreeSet<>();
            try {
                for (BlobItem item : account.stores().listBlobs(new ListBlobsOptions(), null)) {
                    String name = item.getName();
                    int slash = name.indexOf('/');
                    if (slash > 0 && name.startsWith(StoreBlobs.CHUNKS, slash + 1)
                            && StoreId.isValid(name.substring(0, slash))) {
                        found.add(StoreId.of(name.substring(0, slash)));
                    }
                }
            } catch (BlobStorageException e) {
                if (!BlobAccount.notFound(e)) {
                    throw e;
                }
            }
            return new ArrayList<>(found);
        });
    }

    /** A store is there once it has a chunk blob (as on files, once it has a chunk directory). */
    @Override
    public boolean holdsStore(StoreId store) {
        return any(store, store.value() + "/" + StoreBlobs.CHUNKS);
    }

    @Override
    public boolean exists(StoreId store) {
        return any(store, store.value() + "/");
    }

    private boolean any(StoreId store, String prefix) {
        try {
            return account.call(store.value(), "looking for blobs " + prefix, () -> {
                try {
                    return account.stores().listBlobs(new ListBlobsOptions().setPrefix(prefix).setMaxResultsPerPage(1),
                            null).iterator().hasNext();
                } catch (BlobStorageException e) {
                    if (BlobAccount.notFound(e)) {
                        return false;
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public StoreLog open(StoreId store, boolean create) throws IOException {
        ensureContainers(store);
        StoreBlobs blobs = new StoreBlobs(store, account);
        if (blobs.readPointer() == null) {
            if (holdsStore(store)) {
                // chunks without a pointer: a blob of zeros holds no valid slot, so recovery rebuilds it
                // from the last chunk, and there is a blob to take the lease on
                createBlankPointer(blobs);
            } else if (!create) {
                throw new StoreNotFoundException(store.value());
            } else {
                // created in the order of files: first chunk, incarnation, and last the pointer
                blobs.createChunk(0);
                blobs.createIncarnation();
                blobs.createPointer();
                LOG.info("Store '{}' created in {}", store, describe());
            }
        }
        StoreLease lease = StoreLease.acquire(blobs, renewals);
        try {
            // read before recovery changes anything: a damaged incarnation refuses the store as it is
            String incarnation = blobs.readIncarnation();
            if (incarnation == null) {
                incarnation = blobs.createIncarnation();
            }
            return new BlobLogRecovery(blobs, lease).recover(incarnation, options.chunkSize());
        } catch (IOException | RuntimeException e) {
            lease.release();
            throw e;
        }
    }

    private void createBlankPointer(StoreBlobs blobs) throws IOException {
        byte[] zeros = new byte[CommitPointerFormat.SIZE];
        com.azure.storage.blob.options.BlockBlobSimpleUploadOptions upload =
                new com.azure.storage.blob.options.BlockBlobSimpleUploadOptions(com.azure.core.util.BinaryData.fromBytes(zeros))
                        .setRequestConditions(new com.azure.storage.blob.models.BlobRequestConditions().setIfNoneMatch("*"));
        try {
            account.call(blobs.store().value(), "creating " + blobs.describe(CommitPointerFormat.NAME),
                    () -> blobs.pointer().uploadWithResponse(upload, null, Context.NONE));
        } catch (BlobStorageException e) {
            if (e.getStatusCode() != 409 && e.getStatusCode() != 412) {
                throw e;
            }
        }
    }

    /**
     * Deletes every blob of the store: the pointer first, under a lease of its own (refused with
     * {@link io.dataplatform.store.StoreHeldException} while another writer holds the store), so
     * that the store stops being one before its chunks go.
     */
    @Override
    public boolean delete(StoreId store) throws IOException {
        StoreBlobs blobs = new StoreBlobs(store, account);
        Map<String, Long> all;
        try {
            all = blobs.listAll();
        } catch (BlobStorageException e) {
            if (BlobAccount.notFound(e)) {
                return false;
            }
            throw e;
        }
        if (all.isEmpty()) {
            return false;
        }
        if (all.containsKey(CommitPointerFormat.NAME)) {
            StoreLease lease = StoreLease.acquire(blobs, renewals);
            try {
                account.call(store.value(), "deleting " + blobs.describe(CommitPointerFormat.NAME),
                        () -> blobs.pointer().deleteWithResponse(null, lease.conditions(), null, Context.NONE));
            } finally {
                lease.forget();
            }
        }
        for (String name : all.keySet()) {
            if (!name.equals(CommitPointerFormat.NAME)) {
                account.call(store.value(), "deleting " + blobs.describe(name),
                        () -> account.stores().getBlobClient(blobs.prefix() + name).deleteIfExists());
            }
        }
        LOG.info("Store '{}' deleted from {}", store, describe());
        return true;
    }

    @Override
    public StoreReader openReader(StoreId store, Supplier<CommitPointer> committed, Supplier<String> incarnation,
                                  CommitWaitSource waits) {
        return new BlobStoreReader(new StoreBlobs(store, account), committed, incarnation, waits);
    }

    @Override
    public StagingArea staging() {
        return staging;
    }

    private void ensureContainers(StoreId store) throws IOException {
        if (!containersReady) {
            account.ensureContainers(store.value(), true);
            containersReady = true;
        }
    }

    /** How long a lease lasts: how long a store of a writer that died stays unwritable. */
    Duration leaseDuration() {
        return account.options().leaseDuration();
    }

    @Override
    public void close() {
        renewals.shutdownNow();
    }
}
