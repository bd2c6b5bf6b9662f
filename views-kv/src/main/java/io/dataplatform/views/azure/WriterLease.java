package io.dataplatform.views.azure;

import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.options.BlobAcquireLeaseOptions;
import com.azure.storage.blob.options.BlobBreakLeaseOptions;
import com.azure.storage.blob.specialized.BlobLeaseClient;
import com.azure.storage.blob.specialized.BlobLeaseClientBuilder;
import io.dataplatform.rules.Backoff;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The exclusive writer lock of a view container: a {@value #LEASE_SECONDS}-second lease on its
 * {@code writer.lock} blob, renewed every {@value #RENEW_SECONDS} s in the background, and, within
 * this JVM, a claim per container (a lease does not keep a second store of the same process out).
 * The lock blob's metadata names the holder (host, boot, process id and start time).
 * <p>
 * Taking a lease another writer holds: if the holder is a process of this machine that no longer
 * runs (killed), the lease is broken at once; otherwise the taker waits for the lease to expire
 * (a dead holder on another machine stops renewing) for up to {@value #LEASE_SECONDS} s plus a
 * margin, then gives up with "already written by another process or store".
 * <p>
 * A renewal that is refused (the lease was broken or taken) or that has not succeeded for a whole
 * lease period marks the lease lost: {@link #check()} then fails, and the container stops writing.
 * Thread-safe.
 */
final class WriterLease implements AutoCloseable {

    static final int LEASE_SECONDS = 15;
    static final int RENEW_SECONDS = 5;
    private static final Duration TAKE_OVER_WAIT = Duration.ofSeconds(LEASE_SECONDS + 5);
    private static final Set<String> CLAIMS = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService RENEWALS = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "azure-views-lease-renewal");
        thread.setDaemon(true);
        return thread;
    });
    private static final String HOLDER = "holder";
    private static final Backoff POLL = Backoff.exponential(Integer.MAX_VALUE, Duration.ofMillis(100), Duration.ofSeconds(1));

    private final String claim;
    private final String lockBlob;
    private final BlobLeaseClient lease;
    private final String container;
    private volatile long lastRenewedNanos;
    private volatile String lost;
    private ScheduledFuture<?> renewal;

    private WriterLease(String claim, String lockBlob, BlobLeaseClient lease, String container) {
        this.claim = claim;
        this.lockBlob = lockBlob;
        this.lease = lease;
        this.container = container;
    }

    /**
     * Takes the writer lock of the view container {@code name}.
     *
     * @throws AzureFailure (not transient) if another store or process holds it
     */
    static WriterLease take(BlobAccess blobs, String account, String name) throws IOException {
        BlobNames names = new BlobNames(name);
        String claim = account + "|" + blobs.client().getBlobContainerName() + "|" + name;
        if (!CLAIMS.add(claim)) {
            throw AzureFailure.permanent("container '" + name + "' is already written by another store of this process");
        }
        try {
            String lockBlob = names.writerLock();
            try {
                blobs.put(lockBlob, new byte[0], BlobAccess.Expect.ABSENT, "application/octet-stream");
            } catch (BlobAccess.ConditionFailed exists) {
                // made by an earlier writer: the lease on it is what counts
            }
            BlobLeaseClient client = new BlobLeaseClientBuilder().blobClient(blobs.blob(lockBlob))
                    .leaseId(UUID.randomUUID().toString()).buildClient();
            WriterLease taken = new WriterLease(claim, lockBlob, client, name);
            taken.acquire(blobs);
            taken.renewal = RENEWALS.scheduleWithFixedDelay(taken::renew, RENEW_SECONDS, RENEW_SECONDS, TimeUnit.SECONDS);
            return taken;
        } catch (IOException | RuntimeException e) {
            CLAIMS.remove(claim);
            throw e;
        }
    }

    /**
     * Takes the lease, waiting up to {@link #TAKE_OVER_WAIT} for a holder's lease to expire. An
     * interrupt neither stops the wait nor is lost: each attempt runs with the thread's interrupt
     * status cleared (the SDK's blocking calls fail at once on an interrupted thread), and the
     * status is set again on return.
     */
    private void acquire(BlobAccess blobs) throws IOException {
        long deadline = System.nanoTime() + TAKE_OVER_WAIT.toNanos();
        boolean interrupted = Thread.interrupted();
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    lease.acquireLeaseWithResponse(new BlobAcquireLeaseOptions(LEASE_SECONDS), BlobAccess.TIMEOUT, Context.NONE);
                    lastRenewedNanos = System.nanoTime();
                    blobs.blob(lockBlob).setMetadataWithResponse(Map.of(HOLDER, Holder.self()),
                            new BlobRequestConditions().setLeaseId(lease.getLeaseId()), BlobAccess.TIMEOUT, Context.NONE);
                    return;
                } catch (RuntimeException e) {
                    int status = AzureFailure.status(e);
                    if (status != 409) {
                        AzureFailure failure = AzureFailure.of("taking the writer lease of container '" + container + "'", e);
                        if (!failure.isTransient() || System.nanoTime() - deadline > 0) {
                            throw failure;
                        }
                    } else {
                        String holder = holder(blobs);
                        if (Holder.isDeadHere(holder)) {
                            breakLease(blobs);
                            continue;
                        }
                        if (Holder.isAliveHere(holder) || System.nanoTime() - deadline > 0) {
                            throw AzureFailure.permanent("container '" + container + "' is already written by another process"
                                    + " or store (the lease on blob " + lockBlob + " is held by " + holder + ")");
                        }
                    }
                }
                // waiting for the holder's lease to expire, or after a transient failure (an interrupt's, too)
                interrupted |= Backoff.sleepThrough(POLL.pauseBefore(attempt));
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String holder(BlobAccess blobs) {
        try {
            return blobs.blob(lockBlob).getPropertiesWithResponse(null, BlobAccess.TIMEOUT, Context.NONE)
                    .getValue().getMetadata().getOrDefault(HOLDER, "an unknown writer");
        } catch (RuntimeException e) {
            return "an unknown writer";
        }
    }

    private void breakLease(BlobAccess blobs) {
        try {
            new BlobLeaseClientBuilder().blobClient(blobs.blob(lockBlob)).buildClient()
                    .breakLeaseWithResponse(new BlobBreakLeaseOptions().setBreakPeriod(Duration.ZERO), BlobAccess.TIMEOUT, Context.NONE);
        } catch (RuntimeException e) {
            // broken or released meanwhile: the next acquire tells
        }
    }

    /** The lease id, for operations on the lock blob itself. */
    String leaseId() {
        return lease.getLeaseId();
    }

    /**
     * Fails if the lease is lost: refused at renewal, or not renewed for a whole lease period (it may
     * have expired, and another writer may have taken the container).
     */
    void check() throws AzureFailure {
        String reason = lost;
        if (reason == null && System.nanoTime() - lastRenewedNanos > TimeUnit.SECONDS.toNanos(LEASE_SECONDS - 1)) {
            reason = "not renewed for " + (LEASE_SECONDS - 1) + " s";
        }
        if (reason != null) {
            throw AzureFailure.permanent("the writer of container '" + container + "' lost its lease on blob "
                    + lockBlob + " (" + reason + "); reopen the container");
        }
    }

    private void renew() {
        if (lost != null) {
            return;
        }
        try {
            lease.renewLeaseWithResponse((com.azure.core.http.RequestConditions) null, BlobAccess.TIMEOUT, Context.NONE);
            lastRenewedNanos = System.nanoTime();
        } catch (RuntimeException e) {
            int status = AzureFailure.status(e);
            if (status == 409 || status == 412 || status == 404) {
                lost = "renewal refused: HTTP " + status;
            }
            // otherwise transient: the next renewal tries again, and check() fails once a period has passed
        }
    }

    /** Stops renewing and releases the lease (best effort: an unreleased lease expires by itself). */
    @Override
    public void close() {
        try {
            if (renewal != null) {
                renewal.cancel(false);
            }
            if (lost == null) {
                // with the interrupt status cleared: the SDK's blocking call would fail at once on an
                // interrupted thread (and clear the status), leaving the lease to expire by itself
                boolean interrupted = Thread.interrupted();
                try {
                    lease.releaseLeaseWithResponse((com.azure.core.http.RequestConditions) null, BlobAccess.TIMEOUT, Context.NONE);
                } catch (RuntimeException e) {
                    // expired or unreachable: it expires by itself
                } finally {
                    if (interrupted || Thread.interrupted()) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        } finally {
            CLAIMS.remove(claim);
        }
    }

    /** Releases the in-process claim only (the lease went with the deleted lock blob). */
    void forget() {
        if (renewal != null) {
            renewal.cancel(false);
        }
        lost = "the container was dropped";
        CLAIMS.remove(claim);
    }

    /** Who holds a lease: "host/boot id/pid/start millis" of a process. */
    static final class Holder {

        private Holder() {
        }

        static String self() {
            ProcessHandle me = ProcessHandle.current();
            return host() + "/" + bootId() + "/" + me.pid() + "/" + me.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        }

        /** True if {@code holder} names a process of this machine (same host and boot) that no longer runs. */
        static boolean isDeadHere(String holder) {
            Optional<Boolean> alive = aliveHere(holder);
            return alive.isPresent() && !alive.get();
        }

        static boolean isAliveHere(String holder) {
            return aliveHere(holder).orElse(false);
        }

        /** Whether the process {@code holder} names runs, if it is of this machine; empty if it is not or unknown. */
        private static Optional<Boolean> aliveHere(String holder) {
            String[] parts = holder == null ? new String[0] : holder.split("/");
            if (parts.length != 4 || !parts[0].equals(host()) || !parts[1].equals(bootId()) || bootId().isEmpty()) {
                return Optional.empty();
            }
            try {
                long pid = Long.parseLong(parts[2]);
                long started = Long.parseLong(parts[3]);
                Optional<ProcessHandle> process = ProcessHandle.of(pid);
                return Optional.of(process.isPresent() && process.get().isAlive()
                        && process.get().info().startInstant().map(Instant::toEpochMilli).orElse(started) == started);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        private static String host() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "unknown-host";
            }
        }

        private static String bootId() {
            try {
                return Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).trim();
            } catch (IOException | RuntimeException e) {
                return "";
            }
        }
    }
}
