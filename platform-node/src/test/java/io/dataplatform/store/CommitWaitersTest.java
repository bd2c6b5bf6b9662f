package io.dataplatform.store;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The waiter list behind in-process and watched commit waits: nothing stays behind a wait that ends. */
class CommitWaitersTest {

    private static final StoreId STORE = StoreId.of("waiters");
    private final AtomicReference<CommitPointer> pointer = new AtomicReference<>(new CommitPointer(100, 1));

    @Test
    void wokenCancelledAndTimedOutWaitersLeaveTheListAndTheirTimersLeaveTheScheduler() throws Exception {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        scheduler.setRemoveOnCancelPolicy(true);
        try {
            CommitWaiters waiters = new CommitWaiters(STORE, scheduler);
            List<CompletableFuture<CommitPointer>> woken = new ArrayList<>();
            List<CompletableFuture<CommitPointer>> cancelled = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                woken.add(waiters.await(100, Duration.ofHours(1), pointer::get));
                cancelled.add(waiters.await(100, Duration.ofHours(1), pointer::get));
            }
            assertThat(waiters.size()).isEqualTo(2000);
            CompletableFuture<CommitPointer> timedOut = waiters.await(100, Duration.ofMillis(1), pointer::get);
            cancelled.forEach(wait -> wait.cancel(false));
            assertThat(timedOut.get(30, TimeUnit.SECONDS)).isEqualTo(pointer.get());
            pointer.set(new CommitPointer(200, 2));
            waiters.advanced(pointer.get());
            for (CompletableFuture<CommitPointer> wait : woken) {
                assertThat(wait.get(30, TimeUnit.SECONDS)).isEqualTo(new CommitPointer(200, 2));
            }
            assertThat(waiters.size()).isZero();
            // the wake-up ran on the scheduler, which then holds no timer of any ended wait
            scheduler.submit(() -> null).get(30, TimeUnit.SECONDS);
            assertThat(scheduler.getQueue()).isEmpty();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aCommitThatWakesNobodyQueuesNothing() throws Exception {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        scheduler.setRemoveOnCancelPolicy(true);
        try {
            CommitWaiters waiters = new CommitWaiters(STORE, scheduler);
            CompletableFuture<CommitPointer> wait = waiters.await(150, Duration.ofHours(1), pointer::get);
            waiters.advanced(new CommitPointer(150, 2));
            assertThat(scheduler.getCompletedTaskCount()).isZero();
            assertThat(scheduler.getQueue()).hasSize(1); // the waiter's own timer
            assertThat(wait).isNotDone();
            wait.cancel(false);
            assertThat(scheduler.getQueue()).isEmpty();
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void waitersBeyondTheLimitFailAtOnce() {
        CommitWaiters waiters = new CommitWaiters(STORE);
        List<CompletableFuture<CommitPointer>> waits = new ArrayList<>();
        try {
            for (int i = 0; i < CommitWaiters.MAX_WAITERS; i++) {
                waits.add(waiters.await(100, Duration.ofHours(1), pointer::get));
            }
            CompletableFuture<CommitPointer> refused = waiters.await(100, Duration.ofHours(1), pointer::get);
            assertThat(refused).isCompletedExceptionally();
        } finally {
            waits.forEach(wait -> wait.cancel(false));
        }
        assertThat(waiters.size()).isZero();
    }
}
