package io.dataplatform.views;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a deadline passes: the only way tests wait. */
final class Await {

    private Await() {
    }

    /** Returns the time it took; fails with {@code what} if {@code timeout} passes first. */
    static Duration until(Duration timeout, String what, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
