package io.dataplatform.views.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.dataplatform.rules.Backoff;
import io.dataplatform.rules.StorageLocation;
import io.dataplatform.views.spi.BackendContainer;
import io.dataplatform.views.spi.ViewBackend;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * View containers as blobs in one Azure container ({@code dp-views} unless the location names
 * another): the blobs of view container {@code <name>} all start with {@code <name>/}
 * ({@link BlobNames}). Thread-safe.
 * <p>
 * Dropping a container is safe against a crash midway: under the container's writer lease, a
 * {@code <name>/dropped} marker blob is written first (the drop's commit point), then every other
 * blob of the container is deleted (generation, checkpoint and journal first, then the views), then
 * the marker and the lock blob. A container whose marker is there counts as gone: it is not listed,
 * and a writer opening it finishes the deletion before anything else.
 * <p>
 * The SDK's own retries are kept short (3 tries of 10 s at most each); the core retries what
 * {@link #isTransient} says with its {@link Backoff}.
 */
final class AzureBackend implements ViewBackend {

    private static final RequestRetryOptions SDK_RETRIES = new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 3,
            Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(1), null);
    private static final Backoff OPEN_RETRIES = Backoff.exponential(4, Duration.ofMillis(100), Duration.ofSeconds(2)).withJitter(0.2);

    private final BlobAccess blobs;
    private final String account;
    /** Writes the views of commits of several views, {@value AzureContainer#PARALLEL_REQUESTS} at a time per commit. */
    private final ExecutorService pool;

    private AzureBackend(BlobAccess blobs, String account) {
        this.blobs = blobs;
        this.account = account;
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(AzureContainer.PARALLEL_REQUESTS, task -> {
            Thread thread = new Thread(task, "azure-views-writer-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Connects to the account of {@code location} and makes the Azure container {@code container} if needed. */
    static AzureBackend open(StorageLocation location, String container) throws IOException {
        BlobServiceClient service;
        try {
            service = new BlobServiceClientBuilder().connectionString(location.address()).retryOptions(SDK_RETRIES).buildClient();
        } catch (RuntimeException e) {
            throw new IOException("the Azure connection string of '" + location + "' is not usable: " + e.getMessage(), e);
        }
        BlobContainerClient client = service.getBlobContainerClient(container);
        // with the interrupt status cleared (the SDK's blocking calls fail at once on an interrupted
        // thread), set again on return
        boolean interrupted = Thread.interrupted();
        try {
            for (int failures = 1; ; failures++) {
                try {
                    client.createIfNotExists();
                    break;
                } catch (RuntimeException e) {
                    AzureFailure failure = AzureFailure.of("making the Azure container '" + container + "' of " + location, e);
                    if (!failure.isTransient() || !OPEN_RETRIES.allowsRetry(failures)) {
                        throw failure;
                    }
                    interrupted |= Backoff.sleepThrough(
                            OPEN_RETRIES.pauseBefore(failures, java.util.concurrent.ThreadLocalRandom.current()));
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return new AzureBackend(new BlobAccess(client), service.getAccountUrl());
    }

    @Override
    public BackendContainer openContainer(String name, boolean writer) throws IOException {
        return writer ? AzureContainer.openWriter(blobs, account, name, pool) : AzureContainer.openReader(blobs, name);
    }

    /** The first-level names holding blobs, without those a drop is deleting. */
    @Override
    public List<String> containers() throws IOException {
        List<String> prefixes;
        try (Stream<String> names = blobs.topLevel()) {
            prefixes = names.map(prefix -> prefix.substring(0, prefix.length() - 1)).toList();
        } catch (RuntimeException e) {
            throw AzureFailure.of("listing the view containers", e);
        }
        List<String> containers = new java.util.ArrayList<>();
        for (String name : prefixes) {
            if (blobs.etag(new BlobNames(name).dropped()) == null) {
                containers.add(name);
            }
        }
        return containers;
    }

    @Override
    public void dropContainer(String name) throws IOException {
        BlobNames names = new BlobNames(name);
        try (Stream<String> any = blobs.names(names.all())) {
            if (any.findAny().isEmpty()) {
                return;
            }
        } catch (RuntimeException e) {
            throw AzureFailure.of("listing the blobs of container '" + name + "'", e);
        }
        WriterLease lease = WriterLease.take(blobs, account, name);
        boolean deleted = false;
        try {
            lease.check();
            blobs.put(names.dropped(), new byte[0], null, "application/octet-stream");
            finishInterruptedDrop(blobs, name, lease, true);
            deleted = true;
        } finally {
            if (deleted) {
                lease.forget();
            } else {
                lease.close();
            }
        }
    }

    /**
     * If the container's drop marker is there, deletes every blob of the container, then the
     * marker, then (with {@code deleteLock}) the lock blob, which ends the lease; else nothing.
     * The caller holds the lease.
     */
    static void finishInterruptedDrop(BlobAccess blobs, String name, WriterLease lease, boolean deleteLock) throws IOException {
        BlobNames names = new BlobNames(name);
        if (blobs.etag(names.dropped()) == null) {
            return;
        }
        for (String first : List.of(names.generation(), names.checkpoint(), names.journal())) {
            blobs.delete(first, null, null);
        }
        Set<String> last = Set.of(names.dropped(), names.writerLock());
        List<String> rest;
        do {
            try (Stream<String> page = blobs.names(names.all())) {
                rest = page.filter(blob -> !last.contains(blob)).limit(1_000).toList();
            } catch (RuntimeException e) {
                throw AzureFailure.of("listing the blobs of container '" + name + "'", e);
            }
            for (String blob : rest) {
                lease.check();
                blobs.delete(blob, null, null);
            }
        } while (!rest.isEmpty());
        blobs.delete(names.dropped(), null, null);
        if (deleteLock) {
            blobs.delete(names.writerLock(), null, lease.leaseId());
        }
    }

    /** Transient: 5xx, 408 and 429 answers, timeouts and failed connections ({@link AzureFailure}). */
    @Override
    public boolean isTransient(IOException failure) {
        return failure instanceof AzureFailure azure && azure.isTransient();
    }

    @Override
    public void close() {
        pool.shutdown();
    }
}
