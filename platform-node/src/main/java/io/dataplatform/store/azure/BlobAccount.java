package io.dataplatform.store.azure;

import com.azure.core.util.HttpClientOptions;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.dataplatform.rules.Backoff;
import io.dataplatform.rules.StorageLocation;
import io.dataplatform.rules.StorageName;
import io.dataplatform.store.InvalidInputException;
import io.dataplatform.store.StorageUnavailableException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * One Azure storage location: the service client of its account, the container of its stores and
 * the staging container beside it ({@code <container>-staging}), and the one rule for calling the
 * service: a call that fails transiently (a 5xx, 408 or 429 answer, a timeout, a refused or broken
 * connection) is tried again with {@link Backoff}, after the SDK's own short retries, and fails
 * with {@link StorageUnavailableException} when the retries run out; any other answer goes to the
 * caller as the SDK's {@link BlobStorageException}. Thread-safe.
 */
final class BlobAccount {

    /** Default container of stores, when the location names none. */
    static final String DEFAULT_CONTAINER = "dp-store";
    static final String STAGING_SUFFIX = "-staging";

    /** One call to the service. */
    @FunctionalInterface
    interface Call<T> {
        T run();
    }

    private final StorageLocation location;
    private final AzureStoreOptions options;
    private final BlobServiceClient service;
    private final BlobContainerClient stores;
    private final BlobContainerClient staging;
    /** Stores whose last call failed for want of the service, with that failure; cleared by a success. */
    private final Map<String, StorageUnavailableException> unreachable = new ConcurrentHashMap<>();

    private BlobAccount(StorageLocation location, AzureStoreOptions options, BlobServiceClient service,
                        String container) {
        this.location = location;
        this.options = options;
        this.service = service;
        this.stores = service.getBlobContainerClient(container);
        this.staging = service.getBlobContainerClient(container + STAGING_SUFFIX);
    }

    /**
     * The account of an Azure location string ({@code <connection string>[|container]}).
     *
     * @throws InvalidInputException if the string is not an Azure location, or its connection string
     *                               or container is refused
     */
    static BlobAccount of(String locationString, AzureStoreOptions options) {
        StorageLocation location;
        try {
            location = StorageLocation.parse(locationString);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(null, e.getMessage());
        }
        if (location.kind() != StorageLocation.Kind.AZURE) {
            throw new InvalidInputException(null, "the location '" + StorageLocation.redacted(locationString)
                    + "' is not an Azure connection string");
        }
        String container = location.container() == null ? DEFAULT_CONTAINER : location.container();
        String broken = StorageName.brokenRule(container + STAGING_SUFFIX, "the staging container name");
        if (broken != null) {
            throw new InvalidInputException(null, "the container '" + container + "' leaves no room for its staging"
                    + " container: " + broken);
        }
        BlobServiceClient service;
        try {
            service = new BlobServiceClientBuilder()
                    .connectionString(location.address())
                    .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 2, options.tryTimeout(),
                            Duration.ofMillis(100), Duration.ofSeconds(1), null))
                    .clientOptions(new HttpClientOptions().setConnectTimeout(Duration.ofSeconds(5)))
                    .buildClient();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(null, "the Azure connection string of '" + location
                    + "' is refused: " + e.getMessage());
        }
        return new BlobAccount(location, options, service, container);
    }

    StorageLocation location() {
        return location;
    }

    AzureStoreOptions options() {
        return options;
    }

    BlobServiceClient service() {
        return service;
    }

    /** The container of the stores. */
    BlobContainerClient stores() {
        return stores;
    }

    /** The container of staged batches. */
    BlobContainerClient staging() {
        return staging;
    }

    /** The location for messages: account keys and signatures masked. */
    String describe() {
        return location.toString().contains("|") ? location.toString() : location + "|" + stores.getBlobContainerName();
    }

    /**
     * Creates the stores' container (and the staging container) if missing, retried like any call.
     *
     * @param store the store this is done for (for the error), or null
     */
    void ensureContainers(String store, boolean withStaging) throws IOException {
        call(store, "creating container " + stores.getBlobContainerName(), stores::createIfNotExists);
        if (withStaging) {
            call(store, "creating container " + staging.getBlobContainerName(), staging::createIfNotExists);
        }
    }

    /**
     * Runs {@code call}, retrying transient failures with the backoff of {@link AzureStoreOptions}.
     *
     * @param store the store concerned (for the error), or null
     * @param what  what the call does, for the error ("appending to chunk ...")
     * @throws StorageUnavailableException  when the retries run out
     * @throws BlobStorageException         for an answer that is not transient (404, 409, 412, ...)
     * @throws InterruptedIOException       if the thread is interrupted while it pauses
     */
    <T> T call(String store, String what, Call<T> call) throws IOException {
        Backoff backoff = options.backoff();
        for (int failures = 1; ; failures++) {
            try {
                T result = call.run();
                if (store != null && !unreachable.isEmpty()) {
                    unreachable.remove(store);
                }
                return result;
            } catch (RuntimeException e) {
                if (!isTransient(e)) {
                    if (store != null && !unreachable.isEmpty()) {
                        unreachable.remove(store); // the service answered
                    }
                    throw e;
                }
                if (!backoff.allowsRetry(failures)) {
                    StorageUnavailableException unavailable = new StorageUnavailableException(store, what, e);
                    if (store != null) {
                        unreachable.put(store, unavailable);
                    }
                    throw unavailable;
                }
                try {
                    Backoff.sleep(backoff.pauseBefore(failures, ThreadLocalRandom.current()));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    InterruptedIOException stop = new InterruptedIOException("interrupted while " + what);
                    stop.initCause(e);
                    throw stop;
                }
            }
        }
    }

    /**
     * Stores whose last call to the service failed because it could not be reached, with that
     * failure: a later call that reaches the service clears the store.
     */
    Map<String, StorageUnavailableException> unreachableStores() {
        return Map.copyOf(unreachable);
    }

    /** True for an answer or failure that the same request may not meet again later. */
    static boolean isTransient(Throwable failure) {
        if (failure instanceof BlobStorageException answer) {
            int status = answer.getStatusCode();
            return status >= 500 || status == 408 || status == 429;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BlobStorageException) {
                return isTransient(t);
            }
            if (t instanceof IOException || t instanceof TimeoutException) {
                return true;
            }
            String message = t.getMessage();
            if (t instanceof IllegalStateException && message != null && message.contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    /** True if {@code failure} is the service's answer with {@code status} (and {@code code}, if not null). */
    static boolean answered(RuntimeException failure, int status, BlobErrorCode code) {
        return failure instanceof BlobStorageException answer && answer.getStatusCode() == status
                && (code == null || code.equals(answer.getErrorCode()));
    }

    /** True if {@code failure} says the blob or its container is not there. */
    static boolean notFound(RuntimeException failure) {
        return failure instanceof BlobStorageException answer && answer.getStatusCode() == 404;
    }
}
