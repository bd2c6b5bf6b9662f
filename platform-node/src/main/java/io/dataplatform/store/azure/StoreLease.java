package io.dataplatform.store.azure;

import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.specialized.BlobLeaseClient;
import com.azure.storage.blob.specialized.BlobLeaseClientBuilder;
import io.dataplatform.store.OwnershipLostException;
import io.dataplatform.store.StorageUnavailableException;
import io.dataplatform.store.StoreHeldException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A writer's hold on one store: a lease on its {@code <store>/commit.chk}, renewed in the
 * background every third of its duration while the writer runs and released when it closes. Every
 * write of the pointer carries the lease, so a writer that lost it can never move the pointer; the
 * blob's metadata ({@value #HOLDER_KEY}) names the holder, so that a refused writer can say who
 * holds the store. A writer that dies stops renewing: its lease expires after its duration, and
 * another writer may take the store.
 *
 * <p>Thread-safe: the writer and the renewal task share it.
 */
final class StoreLease {

    private static final Logger LOG = LoggerFactory.getLogger(StoreLease.class);
    /** Metadata key of the pointer blob naming the writer that holds the store. */
    static final String HOLDER_KEY = "holder";

    private final StoreBlobs blobs;
    private final BlobLeaseClient client;
    private final String holder;
    private final Map<String, String> metadata;
    private ScheduledFuture<?> renewal;
    private volatile String lost;
    private volatile boolean released;

    private StoreLease(StoreBlobs blobs, BlobLeaseClient client, String holder) {
        this.blobs = blobs;
        this.client = client;
        this.holder = holder;
        this.metadata = Map.of(HOLDER_KEY, holder);
    }

    /**
     * Takes the lease on the store's pointer blob (which must exist) and starts renewing it.
     *
     * @throws StoreHeldException          if another writer holds it, naming that writer
     * @throws BlobStorageException        404 if the pointer blob is not there
     * @throws StorageUnavailableException if the account cannot be reached
     */
    static StoreLease acquire(StoreBlobs blobs, ScheduledExecutorService scheduler) throws IOException {
        AzureStoreOptions options = blobs.account().options();
        // one proposed lease id for every try: a retry of an acquire that did succeed succeeds again
        BlobLeaseClient client = new BlobLeaseClientBuilder().blobClient(blobs.pointer())
                .leaseId(UUID.randomUUID().toString()).buildClient();
        int seconds = (int) options.leaseDuration().toSeconds();
        String store = blobs.store().value();
        try {
            blobs.account().call(store, "taking the lease on " + blobs.describe("commit.chk"),
                    () -> client.acquireLease(seconds));
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 409) {
                throw new StoreHeldException(store, holderOf(blobs), e);
            }
            throw e;
        }
        StoreLease lease = new StoreLease(blobs, client, options.holder());
        try {
            blobs.account().call(store, "naming the holder of " + blobs.describe("commit.chk"),
                    () -> blobs.pointer().setMetadataWithResponse(lease.metadata, lease.conditions(), null, Context.NONE));
        } catch (IOException | RuntimeException e) {
            lease.release();
            throw e;
        }
        long every = Math.max(1, options.leaseDuration().toMillis() / 3);
        lease.renewal = scheduler.scheduleWithFixedDelay(lease::renew, every, every, TimeUnit.MILLISECONDS);
        LOG.info("Store '{}': lease taken by {}", store, options.holder());
        return lease;
    }

    /** The holder named in the pointer blob's metadata, or null if it cannot be read. */
    static String holderOf(StoreBlobs blobs) {
        try {
            return blobs.pointer().getProperties().getMetadata().get(HOLDER_KEY);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Conditions that carry the lease: for every write of the pointer blob. */
    BlobRequestConditions conditions() {
        return new BlobRequestConditions().setLeaseId(client.getLeaseId());
    }

    /** The pointer blob's metadata: every upload of the pointer sets it again (an upload replaces it). */
    Map<String, String> metadata() {
        return metadata;
    }

    String holder() {
        return holder;
    }

    /**
     * Renews the lease now, proving that this writer still holds the store for a whole lease
     * duration from here (before it creates a chunk, which other writers could not undo).
     *
     * @throws OwnershipLostException if the lease is lost
     */
    void renewNow() throws IOException {
        ensureHeld();
        try {
            blobs.account().call(blobs.store().value(), "renewing the lease on " + blobs.describe("commit.chk"),
                    client::renewLease);
        } catch (BlobStorageException e) {
            throw lostBy(e);
        }
    }

    /** Throws if the lease was found lost. */
    void ensureHeld() {
        String why = lost;
        if (why != null) {
            throw new OwnershipLostException(blobs.store().value(), why, null);
        }
    }

    /**
     * Records that a write carrying the lease was refused for it, and returns the error to throw;
     * for another refusal, returns {@code refusal} as it is.
     */
    RuntimeException lostBy(BlobStorageException refusal) {
        if (!isLeaseRefusal(refusal)) {
            return refusal;
        }
        String why = "its lease on " + blobs.describe("commit.chk") + " was lost (" + refusal.getErrorCode() + ")";
        lost = why;
        LOG.warn("Store '{}': {}", blobs.store(), why);
        return new OwnershipLostException(blobs.store().value(), why, refusal);
    }

    /** True for the service's refusals of a lease: expired and taken, broken, another id. */
    static boolean isLeaseRefusal(BlobStorageException refusal) {
        int status = refusal.getStatusCode();
        String code = refusal.getErrorCode() == null ? "" : refusal.getErrorCode().toString();
        return (status == 409 || status == 412) && code.toLowerCase(java.util.Locale.ROOT).contains("lease");
    }

    private void renew() {
        if (released || lost != null) {
            return;
        }
        try {
            client.renewLease();
        } catch (BlobStorageException e) {
            if (isLeaseRefusal(e)) {
                lostBy(e);
            } else {
                LOG.warn("Store '{}': renewing the lease failed; trying again ({})", blobs.store(), e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warn("Store '{}': renewing the lease failed; trying again ({})", blobs.store(), e.toString());
        }
    }

    /** Stops renewing and releases the lease (once); the store may then be written by another writer. */
    synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        if (renewal != null) {
            renewal.cancel(false);
        }
        if (lost != null) {
            return;
        }
        try {
            client.releaseLease();
            LOG.info("Store '{}': lease released by {}", blobs.store(), holder);
        } catch (RuntimeException e) {
            LOG.warn("Store '{}': releasing the lease failed; it expires on its own ({})", blobs.store(), e.toString());
        }
    }

    /** Stops renewing without releasing (the blob it was on is gone); the lease ends with it. */
    synchronized void forget() {
        released = true;
        if (renewal != null) {
            renewal.cancel(false);
        }
    }
}
