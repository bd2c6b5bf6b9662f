package io.dataplatform.projections;

import io.dataplatform.client.NodeCredentials;
import io.dataplatform.client.PlatformClient;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.Storage;
import io.dataplatform.store.StoreEngine;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Opens {@link StoreSource}s: direct reads of a storage location's files (how projections scale:
 * no load on the node), HTTP reads from a node, or the engine of this JVM.
 */
public final class StoreSources {

    /** Checks commit pointers for the waits; daemon threads, shared by every source. */
    private static final ScheduledExecutorService PROBES = Executors.newScheduledThreadPool(1, r -> {
        Thread thread = new Thread(r, "projection-commit-probe");
        thread.setDaemon(true);
        return thread;
    });

    private StoreSources() {
    }

    /** Reads the store's files at {@code location} directly, read-only, beside the node that writes them. */
    public static StoreSource direct(String location, StoreId store) {
        StoreReader reader = Storage.openReader(location, store);
        StoreReader probe = Storage.openReader(location, store);
        Path directory = Path.of(location).resolve(store.value());
        return new ReaderSource(reader, probe::commitPointer, () -> directoryIncarnation(directory),
                Duration.ofMillis(2), probe);
    }

    /** Reads the store over HTTP from the node at {@code endpoint}. */
    public static StoreSource remote(URI endpoint, StoreId store, NodeCredentials credentials) {
        PlatformClient client = PlatformClient.remote(endpoint, store, credentials);
        StoreReader probe = client.remoteReader();
        return new ReaderSource(client.remoteReader(), probe::commitPointer, () -> null, Duration.ofMillis(20), probe);
    }

    /** Reads the store from an engine running in this JVM (a node and a worker deployed together). */
    public static StoreSource engine(StoreEngine engine, StoreId store) {
        return new ReaderSource(engine.openReader(store),
                () -> engine.commitPointer(store).orElse(CommitPointer.EMPTY), () -> null, Duration.ofMillis(1), null);
    }

    /**
     * An id that changes when the store's directory is deleted and created again: its file key
     * (inode) and creation time, hashed to 32 hex characters.
     */
    static String directoryIncarnation(Path directory) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(directory, BasicFileAttributes.class);
            String identity = attributes.fileKey() + "/" + attributes.creationTime().toMillis();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return String.format("%032x", new BigInteger(1, java.util.Arrays.copyOf(digest, 16)));
        } catch (IOException | NoSuchAlgorithmException e) {
            return null;
        }
    }

    /** A store reader, with commit waits answered by probing the commit pointer. */
    private static final class ReaderSource implements StoreSource {
        private final StoreReader reader;
        private final Supplier<CommitPointer> pointer;
        private final Supplier<String> incarnation;
        private final long probeNanos;
        private final AutoCloseable extra;

        ReaderSource(StoreReader reader, Supplier<CommitPointer> pointer, Supplier<String> incarnation,
                Duration probeEvery, AutoCloseable extra) {
            this.reader = reader;
            this.pointer = pointer;
            this.incarnation = incarnation;
            this.probeNanos = probeEvery.toNanos();
            this.extra = extra;
        }

        @Override
        public StoreId store() {
            return reader.store();
        }

        @Override
        public String incarnation() {
            return incarnation.get();
        }

        @Override
        public CommitPointer commitPointer() {
            return reader.commitPointer();
        }

        @Override
        public EventBatch read(long from, int maxEvents, int maxBytes) {
            return reader.read(from, maxEvents, maxBytes);
        }

        @Override
        public CompletableFuture<CommitPointer> commitAfter(long after, Duration timeout) {
            CompletableFuture<CommitPointer> result = new CompletableFuture<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            probe(result, after, deadline);
            return result;
        }

        private void probe(CompletableFuture<CommitPointer> result, long after, long deadline) {
            if (result.isDone()) {
                return;
            }
            try {
                CommitPointer now = pointer.get();
                if (now.position() > after || System.nanoTime() - deadline >= 0) {
                    result.complete(now);
                    return;
                }
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                return;
            }
            PROBES.schedule(() -> probe(result, after, deadline), probeNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void close() {
            reader.close();
            if (extra != null) {
                try {
                    extra.close();
                } catch (Exception ignored) {
                    // a probe holds nothing that matters once the source is closed
                }
            }
        }
    }
}
