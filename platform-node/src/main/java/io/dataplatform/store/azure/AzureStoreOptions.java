package io.dataplatform.store.azure;

import io.dataplatform.rules.Backoff;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@code azure} storage backend that files do not have. Build with
 * {@link #defaults()} and the {@code with*} methods; the engine's own settings (chunk size,
 * durability, queues) stay in {@link io.dataplatform.store.EngineOptions}.
 *
 * @param holder        who this process is, written into the metadata of every store it writes
 *                      (blob {@code <store>/commit.chk}, key {@value StoreLease#HOLDER_KEY}) so that a
 *                      refused writer can name it; defaults to {@code pid@host}
 * @param leaseDuration how long a writer's lease on a store lasts unless renewed (15 to 60 s, the
 *                      service's range); renewed in the background every third of it. A writer that
 *                      dies loses its stores to others after at most this long
 * @param pollInterval  how often direct readers read the commit pointer blob of a store they wait on
 *                      (there is no change notification on blobs)
 * @param readRange     bytes a direct reader downloads per request (and reads ahead): its memory is
 *                      about three times this
 * @param tryTimeout    the longest a single request to the service may take
 * @param backoff       retries of a request that failed transiently (a 5xx, a timeout, a connection
 *                      refused), after the SDK's own short retries; when they run out the operation
 *                      fails with {@link io.dataplatform.store.StorageUnavailableException}
 */
public record AzureStoreOptions(String holder, Duration leaseDuration, Duration pollInterval, int readRange,
                                Duration tryTimeout, Backoff backoff) {

    public AzureStoreOptions {
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(backoff, "backoff");
        if (holder.isBlank() || holder.length() > 200 || !holder.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("the holder is 1 to 200 printable ASCII characters");
        }
        if (leaseDuration == null || leaseDuration.compareTo(Duration.ofSeconds(15)) < 0
                || leaseDuration.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("leaseDuration must be between 15 and 60 seconds");
        }
        if (pollInterval == null || pollInterval.toMillis() < 1 || pollInterval.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("pollInterval must be between 1 ms and 10 s");
        }
        if (readRange < 64 * 1024 || readRange > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("readRange must be between 64 KiB and 64 MiB");
        }
        if (tryTimeout == null || tryTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("tryTimeout must be at least 1 second");
        }
    }

    public static AzureStoreOptions defaults() {
        return new AzureStoreOptions(ManagementFactory.getRuntimeMXBean().getName(), Duration.ofSeconds(30),
                Duration.ofMillis(100), 4 * 1024 * 1024, Duration.ofSeconds(30),
                Backoff.exponential(4, Duration.ofMillis(200), Duration.ofSeconds(2)).withJitter(0.2));
    }

    /**
     * {@link #defaults()} with what the environment sets: {@code DP_AZURE_HOLDER} (the holder),
     * {@code DP_AZURE_LEASE_SECONDS} (15 to 60), {@code DP_AZURE_POLL_MILLIS}. The node and
     * {@link io.dataplatform.store.Storage} open Azure locations with these.
     *
     * @throws IllegalArgumentException naming the variable whose value is refused
     */
    public static AzureStoreOptions fromEnvironment() {
        AzureStoreOptions options = defaults();
        String holder = System.getenv("DP_AZURE_HOLDER");
        if (holder != null && !holder.isBlank()) {
            options = options.withHolder(holder.trim());
        }
        String lease = System.getenv("DP_AZURE_LEASE_SECONDS");
        if (lease != null && !lease.isBlank()) {
            options = options.withLeaseDuration(Duration.ofSeconds(number("DP_AZURE_LEASE_SECONDS", lease)));
        }
        String poll = System.getenv("DP_AZURE_POLL_MILLIS");
        if (poll != null && !poll.isBlank()) {
            options = options.withPollInterval(Duration.ofMillis(number("DP_AZURE_POLL_MILLIS", poll)));
        }
        return options;
    }

    private static long number(String variable, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(variable + " must be a whole number, not '" + value + "'");
        }
    }

    public AzureStoreOptions withHolder(String value) {
        return new AzureStoreOptions(value, leaseDuration, pollInterval, readRange, tryTimeout, backoff);
    }

    public AzureStoreOptions withLeaseDuration(Duration value) {
        return new AzureStoreOptions(holder, value, pollInterval, readRange, tryTimeout, backoff);
    }

    public AzureStoreOptions withPollInterval(Duration value) {
        return new AzureStoreOptions(holder, leaseDuration, value, readRange, tryTimeout, backoff);
    }

    public AzureStoreOptions withReadRange(int value) {
        return new AzureStoreOptions(holder, leaseDuration, pollInterval, value, tryTimeout, backoff);
    }

    public AzureStoreOptions withTryTimeout(Duration value) {
        return new AzureStoreOptions(holder, leaseDuration, pollInterval, readRange, value, backoff);
    }

    public AzureStoreOptions withBackoff(Backoff value) {
        return new AzureStoreOptions(holder, leaseDuration, pollInterval, readRange, tryTimeout, value);
    }
}
