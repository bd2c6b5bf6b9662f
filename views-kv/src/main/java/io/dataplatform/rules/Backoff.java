package io.dataplatform.rules;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often to retry a call that failed transiently, and how long to pause before each retry:
 * the pause before retry {@code n} (1-based) is {@code firstPause × 2^(n-1)}, at most
 * {@code maxPause}, plus a random jitter of up to {@code jitter} times that pause (so that clients
 * that failed together do not all come back together). At most {@code retries} retries follow the
 * first attempt, so no caller waits longer than {@link #longestTotalPause()} in all. What counts as
 * transient is the caller's business; this record only bounds the waiting. Immutable, thread-safe.
 *
 * @param retries    retries after the first attempt (0: no retry)
 * @param firstPause the pause before the first retry
 * @param maxPause   the longest pause before jitter, also the bound of a pause the other side asks
 *                   for ({@link #bounded(Duration)})
 * @param jitter     the largest random addition, as a fraction of the pause (0 to 1)
 */
public record Backoff(int retries, Duration firstPause, Duration maxPause, double jitter) {

    public Backoff {
        if (retries < 0) {
            throw new IllegalArgumentException("a backoff makes 0 or more retries, not " + retries);
        }
        if (firstPause == null || maxPause == null || firstPause.isNegative() || maxPause.compareTo(firstPause) < 0) {
            throw new IllegalArgumentException("a backoff's pauses are 0 or more, the first no longer than the longest ("
                    + firstPause + ", " + maxPause + ")");
        }
        try {
            maxPause.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("a backoff's longest pause is at most 292 years, not " + maxPause, e);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("a backoff's jitter is a fraction from 0 to 1, not " + jitter);
        }
    }

    /** Pauses doubling from {@code firstPause} up to {@code maxPause}, without jitter. */
    public static Backoff exponential(int retries, Duration firstPause, Duration maxPause) {
        return new Backoff(retries, firstPause, maxPause, 0);
    }

    /** The same backoff with pauses lengthened at random by up to {@code fraction} of themselves. */
    public Backoff withJitter(double fraction) {
        return new Backoff(retries, firstPause, maxPause, fraction);
    }

    /** True if a call that has failed {@code failures} times (1 or more) may be tried again. */
    public boolean allowsRetry(int failures) {
        return failures >= 1 && failures <= retries;
    }

    /** The pause before retry {@code retry} (1-based), without jitter: {@code firstPause × 2^(retry-1)}, at most {@code maxPause}. */
    public Duration pauseBefore(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retries are counted from 1, not " + retry);
        }
        long first = firstPause.toNanos();
        long max = maxPause.toNanos();
        int doublings = retry - 1;
        if (first == 0) {
            return Duration.ZERO;
        }
        if (doublings >= 63 || first > (max >> doublings)) {
            return maxPause;
        }
        return Duration.ofNanos(first << doublings);
    }

    /** The pause before retry {@code retry} with its jitter drawn from {@code random}. */
    public Duration pauseBefore(int retry, RandomGenerator random) {
        return jittered(pauseBefore(retry), random);
    }

    /**
     * A pause the other side asked for (an HTTP {@code Retry-After}), bounded by {@code maxPause}
     * and never negative, with jitter.
     */
    public Duration bounded(Duration requested, RandomGenerator random) {
        Duration pause = requested.isNegative() ? Duration.ZERO : requested.compareTo(maxPause) > 0 ? maxPause : requested;
        return jittered(pause, random);
    }

    /** The longest a caller can pause in all: every retry at its longest pause, jitter included. */
    public Duration longestTotalPause() {
        long total = 0;
        for (int retry = 1; retry <= retries; retry++) {
            Duration pause = pauseBefore(retry);
            if (pause.equals(maxPause)) {
                // every later retry pauses as long: add them at once
                long remaining = (long) retries - retry + 1;
                long each = longest(maxPause);
                long rest = each == 0 ? 0 : remaining > Long.MAX_VALUE / each ? Long.MAX_VALUE : remaining * each;
                return Duration.ofNanos(saturatedAdd(total, rest));
            }
            total = saturatedAdd(total, longest(pause));
        }
        return Duration.ofNanos(total);
    }

    /** Sleeps for {@code pause}. */
    public static void sleep(Duration pause) throws InterruptedException {
        long nanos = pause.toNanos();
        if (nanos > 0) {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
    }

    /**
     * Sleeps {@code pause} whole even if the thread is interrupted meanwhile, for a retry that
     * must not be given up half-way (one after a commit point); returns whether an interrupt
     * arrived, leaving the thread's interrupt status cleared for the caller to set again once its
     * work is done.
     */
    public static boolean sleepThrough(Duration pause) {
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + pause.toNanos();
        for (long left = pause.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            try {
                sleep(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }

    private Duration jittered(Duration pause, RandomGenerator random) {
        long nanos = pause.toNanos();
        long extra = (long) (nanos * jitter);
        return extra <= 0 ? pause : Duration.ofNanos(saturatedAdd(nanos, random.nextLong(extra)));
    }

    private long longest(Duration pause) {
        return saturatedAdd(pause.toNanos(), (long) (pause.toNanos() * jitter));
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
