package io.dataplatform.cli.client;

import java.util.concurrent.TimeUnit;

/**
 * Latencies in log-linear buckets, as HdrHistogram keeps them but written small: each power of
 * two of nanoseconds is split into 32 linear sub-buckets, so a percentile is off by at most about
 * 3 %. Memory is fixed (about 16 KiB) whatever the count. Not thread-safe: one per thread, then
 * {@link #add} them together.
 */
final class LatencyHistogram {

    private static final int SUB_BUCKET_BITS = 5;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    private static final int BUCKETS = 64 - SUB_BUCKET_BITS;

    private final long[] counts = new long[BUCKETS * SUB_BUCKETS];
    private long count;
    private long max;

    /** Records one latency, in nanoseconds (negative values count as 0). */
    void record(long nanos) {
        long value = Math.max(0, nanos);
        counts[index(value)]++;
        count++;
        max = Math.max(max, value);
    }

    /** Adds every value of {@code other} to this histogram. */
    void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        count += other.count;
        max = Math.max(max, other.max);
    }

    long count() {
        return count;
    }

    long maxNanos() {
        return max;
    }

    /**
     * The value at or below which {@code percent} of the recorded values lie, in nanoseconds (the
     * upper edge of its bucket, never above the maximum); 0 when empty.
     */
    long percentileNanos(double percent) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(count * percent / 100.0));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, upperEdge(i));
            }
        }
        return max;
    }

    /** A percentile in milliseconds with microsecond precision. */
    double percentileMillis(double percent) {
        return percentileNanos(percent) / (double) TimeUnit.MILLISECONDS.toNanos(1);
    }

    static int index(long value) {
        if (value < SUB_BUCKETS) {
            return (int) value;
        }
        int magnitude = 63 - Long.numberOfLeadingZeros(value); // >= SUB_BUCKET_BITS
        int shift = magnitude - SUB_BUCKET_BITS;
        int sub = (int) (value >>> shift) - SUB_BUCKETS; // 0..SUB_BUCKETS-1
        return (shift + 1) * SUB_BUCKETS + sub;
    }

    static long upperEdge(int index) {
        int bucket = index / SUB_BUCKETS;
        int sub = index % SUB_BUCKETS;
        if (bucket == 0) {
            return sub;
        }
        int shift = bucket - 1;
        return ((long) (SUB_BUCKETS + sub + 1) << shift) - 1;
    }
}
