package io.dataplatform.projections;

/**
 * Events per second over the last few whole seconds, from counts added as batches commit. Eight
 * one-second slots in a ring: bounded memory, one lock held for a few instructions. Thread-safe.
 */
final class EventRate {

    private static final int SLOTS = 8;
    private static final int WINDOW = 5;

    private final long[] seconds = new long[SLOTS];
    private final long[] counts = new long[SLOTS];

    synchronized void add(long events, long nowNanos) {
        long second = nowNanos / 1_000_000_000L;
        int slot = (int) Math.floorMod(second, SLOTS);
        if (seconds[slot] != second) {
            seconds[slot] = second;
            counts[slot] = 0;
        }
        counts[slot] += events;
    }

    /** Events per second over the {@value #WINDOW} whole seconds before the current one. */
    synchronized double perSecond(long nowNanos) {
        long second = nowNanos / 1_000_000_000L;
        long total = 0;
        for (int back = 1; back <= WINDOW; back++) {
            int slot = (int) Math.floorMod(second - back, SLOTS);
            if (seconds[slot] == second - back) {
                total += counts[slot];
            }
        }
        return total / (double) WINDOW;
    }
}
