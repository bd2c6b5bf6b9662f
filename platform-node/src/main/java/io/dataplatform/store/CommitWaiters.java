package io.dataplatform.store;

import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The readers waiting for commits of one store, ordered by the position each waits past; what
 * serves {@link StoreReader#commitAfter} for readers told of commits by a listener or a watcher. A
 * waiter is a future, a timer on the shared {@link CommitWaitScheduler} and an entry in a skip
 * list: no thread of its own. It leaves the list when it completes, whether woken, timed out or
 * cancelled, and its timer is cancelled with it. At most {@link #MAX_WAITERS} wait at once.
 *
 * <p>Thread-safe. {@link #advanced} is cheap and never runs a waiter's dependent stages on the
 * caller's thread (it may be an engine's writer): it hands the wake-up to the scheduler thread,
 * coalescing the commits that land meanwhile into one.
 */
public final class CommitWaiters {

    /** The most waiters one store may have at once; more fail at once (a runaway caller, not a use). */
    public static final int MAX_WAITERS = 100_000;
    private static final Duration LONGEST = Duration.ofDays(365);
    private static final Comparator<Waiter> ORDER = Comparator.<Waiter>comparingLong(w -> w.after)
            .thenComparingLong(w -> w.sequence);

    private final StoreId store;
    private final ScheduledExecutorService scheduler;
    private final ConcurrentSkipListSet<Waiter> waiters = new ConcurrentSkipListSet<>(ORDER);
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();
    /** The newest pointer whose wake-up is queued on the scheduler and not yet run, or null. */
    private final AtomicReference<CommitPointer> pendingWake = new AtomicReference<>();

    public CommitWaiters(StoreId store) {
        this(store, CommitWaitScheduler.shared());
    }

    public CommitWaiters(StoreId store, ScheduledExecutorService scheduler) {
        this.store = store;
        this.scheduler = scheduler;
    }

    private static final class Waiter {
        final long after;
        final long sequence;
        final CompletableFuture<CommitPointer> future = new CompletableFuture<>();
        volatile ScheduledFuture<?> timer;

        Waiter(long after, long sequence) {
            this.after = after;
            this.sequence = sequence;
        }
    }

    /**
     * A waiter for the first commit past {@code after}: completes with the pointer a later
     * {@link #advanced} call reports, or with {@code current} when {@code timeout} passes or right
     * away if {@code current} is already past {@code after}. {@code current} reads the pointer as it
     * is now; an exception it throws completes the waiter exceptionally.
     */
    public CompletableFuture<CommitPointer> await(long after, Duration timeout, Supplier<CommitPointer> current) {
        if (timeout.isZero() || timeout.isNegative()) {
            return now(current);
        }
        Waiter waiter = new Waiter(after, sequence.getAndIncrement());
        if (count.incrementAndGet() > MAX_WAITERS) {
            count.decrementAndGet();
            return CompletableFuture.failedFuture(new StoreException(store.value(), "store '" + store + "' has "
                    + MAX_WAITERS + " commit waiters already, the most it takes"));
        }
        waiters.add(waiter);
        long nanos = (timeout.compareTo(LONGEST) > 0 ? LONGEST : timeout).toNanos();
        waiter.timer = scheduler.schedule(() -> complete(waiter.future, current), nanos, TimeUnit.NANOSECONDS);
        waiter.future.whenComplete((pointer, error) -> {
            if (waiters.remove(waiter)) {
                count.decrementAndGet();
            }
            waiter.timer.cancel(false);
        });
        // registered first, then looked: a commit that lands in between is either seen here or wakes the waiter
        try {
            CommitPointer now = current.get();
            if (now.position() > after) {
                waiter.future.complete(now);
            }
        } catch (RuntimeException e) {
            waiter.future.completeExceptionally(e);
        }
        return waiter.future;
    }

    private static CompletableFuture<CommitPointer> now(Supplier<CommitPointer> current) {
        CompletableFuture<CommitPointer> future = new CompletableFuture<>();
        complete(future, current);
        return future;
    }

    private static void complete(CompletableFuture<CommitPointer> future, Supplier<CommitPointer> current) {
        try {
            future.complete(current.get());
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
        }
    }

    /**
     * The store's commit pointer is now {@code pointer}: wakes, on the scheduler thread, every
     * waiter waiting past a position before it. Costs a read of the lowest waiter when none is
     * woken.
     */
    public void advanced(CommitPointer pointer) {
        if (!wakes(pointer)) {
            return;
        }
        CommitPointer queued = pendingWake.getAndAccumulate(pointer,
                (old, next) -> old == null || next.position() >= old.position() ? next : old);
        if (queued == null) {
            scheduler.execute(this::wake);
        }
    }

    private boolean wakes(CommitPointer pointer) {
        Waiter lowest = waiters.ceiling(new Waiter(Long.MIN_VALUE, Long.MIN_VALUE));
        return lowest != null && lowest.after < pointer.position();
    }

    private void wake() {
        CommitPointer pointer = pendingWake.getAndSet(null);
        if (pointer != null) {
            for (Waiter waiter : waiters.headSet(new Waiter(pointer.position(), Long.MIN_VALUE))) {
                waiter.future.complete(pointer);
            }
        }
    }

    /** Completes every waiter exceptionally (the store was deleted, the engine closed). */
    public void failAll(RuntimeException error) {
        for (Waiter waiter : waiters) {
            waiter.future.completeExceptionally(error);
        }
    }

    /** How many wait now. */
    public int size() {
        return count.get();
    }

    public StoreId store() {
        return store;
    }
}
