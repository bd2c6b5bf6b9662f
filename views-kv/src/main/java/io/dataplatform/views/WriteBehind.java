package io.dataplatform.views;

import java.time.Duration;

/**
 * How a container writes its view files behind its commits: a flush pass at most every
 * {@code interval} (null: only when asked, a test seam) and at most {@code maxDirtyBytes} of
 * documents waiting to be written before {@code commit} waits for the flusher.
 *
 * <p>The interval, and the fifth of it a pass may take before publishing what it wrote, are taken
 * out of the revalidation bound: readers use what they checked for {@code revalidateAfter -
 * interval - interval / 5} only, so that a reader in another process still sees a commit within
 * {@link ViewStoreOptions#revalidateAfter()} (flush, publish, then revalidation).
 *
 * @param interval the longest time between flush passes while documents are dirty, or null
 * @param maxDirtyBytes bound of the dirty documents (bytes plus a per-document overhead)
 */
record WriteBehind(Duration interval, long maxDirtyBytes) {

    static final Duration LONGEST_INTERVAL = Duration.ofMillis(250);
    static final long DEFAULT_MAX_DIRTY_BYTES = 64L << 20;

    /** A quarter of the revalidation bound, at most 250 ms; 64 MiB of dirty documents. */
    static WriteBehind of(ViewStoreOptions options) {
        return new WriteBehind(intervalFor(options.revalidateAfter()), DEFAULT_MAX_DIRTY_BYTES);
    }

    static Duration intervalFor(Duration revalidateAfter) {
        Duration quarter = revalidateAfter.dividedBy(4);
        return quarter.compareTo(LONGEST_INTERVAL) < 0 ? quarter : LONGEST_INTERVAL;
    }

    /** The longest a flush pass writes documents before publishing the container's generation: a fifth of the interval. */
    Duration publishEvery() {
        return interval == null ? Duration.ZERO : interval.dividedBy(5);
    }

    /**
     * How long a reader uses what it last checked (the container's generation, or a document's
     * version) before checking again: the bound minus one flush interval and one publishing delay.
     */
    Duration cacheFreshness(Duration revalidateAfter) {
        Duration flush = interval == null ? Duration.ZERO : interval.plus(publishEvery());
        return revalidateAfter.compareTo(flush) > 0 ? revalidateAfter.minus(flush) : Duration.ZERO;
    }
}
