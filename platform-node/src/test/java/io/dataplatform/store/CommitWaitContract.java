package io.dataplatform.store;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract of {@link StoreReader#commitAfter} and {@link StoreReader#awaitCommit}, the same for
 * every reader: one subclass per way a reader learns of commits (the engine's listener, the node's
 * long poll, the commit pointer watcher). Every event appended here is the same size, so the
 * position the next commit will reach is known before it is made. Nothing here asserts a timing:
 * "not woken" is shown by what a waiter completes with once a later commit wakes it.
 */
public abstract class CommitWaitContract {

    private static final AtomicInteger STORES = new AtomicInteger();
    /** Long enough never to pass during a test: a waiter that completes was woken. */
    protected static final Duration FOREVER = Duration.ofHours(1);

    /** Appends one event (always the same size) to {@code store}, creating it; returns the commit position after it. */
    protected abstract long append(StoreId store) throws Exception;

    /** A reader of {@code store}, which exists. */
    protected abstract StoreReader open(StoreId store) throws Exception;

    /** A new store holding one event. */
    protected StoreId newStore() throws Exception {
        StoreId store = StoreId.of("wait-" + getClass().getSimpleName().toLowerCase() + "-" + STORES.incrementAndGet());
        append(store);
        return store;
    }

    /**
     * The result of a wait, awaited for at most 30 s: shorter than any timeout or poll cap of the
     * readers under test, so a waiter that is not woken by its commit fails here.
     */
    protected static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aWaiterIsWokenByACommitPastItsPosition() throws Exception {
        StoreId store = newStore();
        try (StoreReader reader = open(store)) {
            long after = reader.commitPointer().position();
            CompletableFuture<CommitPointer> wait = reader.commitAfter(after, FOREVER);
            long next = append(store);
            CommitPointer woken = get(wait);
            assertThat(woken.position()).as("woken with the new commit").isGreaterThan(after).isLessThanOrEqualTo(next);
            assertThat(woken.version()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aCommitAtOrBeforeItsPositionDoesNotWakeAWaiter() throws Exception {
        StoreId store = newStore();
        try (StoreReader reader = open(store)) {
            long start = reader.commitPointer().position();
            long eventSize = start; // the store holds one event
            long atNextCommit = start + eventSize;
            CompletableFuture<CommitPointer> beyond = reader.commitAfter(atNextCommit, FOREVER);
            CompletableFuture<CommitPointer> witness = reader.commitAfter(start, FOREVER);
            assertThat(append(store)).isEqualTo(atNextCommit);
            assertThat(get(witness).position()).isEqualTo(atNextCommit);
            long later = append(store);
            CommitPointer woken = get(beyond);
            assertThat(woken.position()).as("the commit that reached its position exactly did not wake it")
                    .isGreaterThan(atNextCommit).isLessThanOrEqualTo(later);
        }
    }

    @Test
    void aWaiterPastAnOlderPositionCompletesAtOnceWithTheCurrentPointer() throws Exception {
        StoreId store = newStore();
        append(store);
        try (StoreReader reader = open(store)) {
            CommitPointer current = reader.commitPointer();
            assertThat(get(reader.commitAfter(0, FOREVER))).isEqualTo(current);
            assertThat(get(reader.commitAfter(-1, FOREVER))).isEqualTo(current);
        }
    }

    @Test
    void theTimeoutCompletesWithTheCurrentPointerNotAnError() throws Exception {
        StoreId store = newStore();
        try (StoreReader reader = open(store)) {
            CommitPointer current = reader.commitPointer();
            assertThat(get(reader.commitAfter(current.position(), Duration.ofMillis(30)))).isEqualTo(current);
            assertThat(get(reader.commitAfter(current.position() + 1_000_000, Duration.ofMillis(30)))).isEqualTo(current);
            assertThat(get(reader.commitAfter(current.position(), Duration.ZERO))).isEqualTo(current);
            assertThat(reader.awaitCommit(current.position(), Duration.ofMillis(30))).isEqualTo(current);
        }
    }

    @Test
    void awaitCommitBlocksUntilACommitPastItsPosition() throws Exception {
        StoreId store = newStore();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (StoreReader reader = open(store)) {
            long after = reader.commitPointer().position();
            Future<CommitPointer> waiting = thread.submit(() -> reader.awaitCommit(after, FOREVER));
            long next = append(store);
            assertThat(waiting.get(30, TimeUnit.SECONDS).position()).isGreaterThan(after).isLessThanOrEqualTo(next);
        } finally {
            thread.shutdownNow();
        }
    }

    @Test
    void aCancelledWaitIsNotCompletedByTheNextCommit() throws Exception {
        StoreId store = newStore();
        try (StoreReader reader = open(store)) {
            long after = reader.commitPointer().position();
            CompletableFuture<CommitPointer> cancelled = reader.commitAfter(after, FOREVER);
            CompletableFuture<CommitPointer> kept = reader.commitAfter(after, FOREVER);
            assertThat(cancelled.cancel(false)).isTrue();
            append(store);
            assertThat(get(kept).position()).isGreaterThan(after);
            assertThat(cancelled).isCancelled();
        }
    }

    @Test
    void closingTheReaderCancelsItsPendingWaits() throws Exception {
        StoreId store = newStore();
        StoreReader reader = open(store);
        long after = reader.commitPointer().position();
        CompletableFuture<CommitPointer> wait = reader.commitAfter(after, FOREVER);
        reader.close();
        assertThatThrownBy(() -> get(wait)).isInstanceOf(CancellationException.class);
        assertThatThrownBy(() -> get(reader.commitAfter(after, FOREVER)))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(StoreClosedException.class);
    }

    @Test
    void manyWaitersAtManyPositionsAreEachWokenOnlyPastTheirOwn() throws Exception {
        StoreId store = newStore();
        try (StoreReader reader = open(store)) {
            long eventSize = reader.commitPointer().position();
            int commits = 6;
            List<CompletableFuture<CommitPointer>> waits = new ArrayList<>();
            for (int i = 0; i < commits; i++) {
                waits.add(reader.commitAfter(eventSize * (i + 1), FOREVER));
            }
            for (int i = 0; i < commits; i++) {
                append(store);
                CommitPointer woken = get(waits.get(i));
                assertThat(woken.position()).as("waiter %d", i).isGreaterThan(eventSize * (i + 1));
            }
        }
    }

    @Test
    void aWaitThatTimedOutKeepsItsAnswer() throws Exception {
        StoreId store = newStore();
        try (StoreReader reader = open(store)) {
            CommitPointer current = reader.commitPointer();
            CompletableFuture<CommitPointer> timedOut = reader.commitAfter(current.position(), Duration.ofMillis(1));
            assertThat(get(timedOut)).isEqualTo(current);
            append(store);
            assertThat(get(reader.commitAfter(current.position(), FOREVER)).position())
                    .as("a later wait sees the commit").isGreaterThan(current.position());
            assertThat(timedOut.getNow(null)).isEqualTo(current);
        }
    }
}
