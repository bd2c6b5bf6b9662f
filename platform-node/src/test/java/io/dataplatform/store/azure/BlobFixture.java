package io.dataplatform.store.azure;

import io.dataplatform.rules.Backoff;
import io.dataplatform.store.Event;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.StoreReader;
import io.dataplatform.testing.azurite.Azurite;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Helpers of the azure backend's tests: options that give up quickly, awaiting, reading a whole store. */
final class BlobFixture {

    private BlobFixture() {
    }

    /** Options for tests: the shortest lease, a short poll, few quick retries. */
    static AzureStoreOptions options(String holder) {
        return AzureStoreOptions.defaults().withHolder(holder).withLeaseDuration(Duration.ofSeconds(15))
                .withPollInterval(Duration.ofMillis(20)).withTryTimeout(Duration.ofSeconds(5))
                .withBackoff(Backoff.exponential(2, Duration.ofMillis(50), Duration.ofMillis(200)));
    }

    /** A fresh container of the shared emulator, as a location string. */
    static String freshLocation(String prefix) {
        Azurite azurite = Azurite.shared();
        return azurite.location(azurite.uniqueContainer(prefix));
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Polls a condition until it holds or the timeout passes: the only way these tests wait. */
    static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** Every committed event of a store from position 0, in batches of at most {@code maxBytes}. */
    static List<Event> readAll(StoreReader reader, int maxBytes) {
        List<Event> events = new ArrayList<>();
        long position = 0;
        while (true) {
            EventBatch batch = reader.read(position, 10_000, maxBytes);
            if (batch.isEmpty()) {
                return events;
            }
            for (Event event : batch) {
                events.add(event);
            }
            position = batch.next();
        }
    }
}
