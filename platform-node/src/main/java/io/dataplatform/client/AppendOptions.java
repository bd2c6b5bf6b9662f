package io.dataplatform.client;

import java.time.Duration;

/**
 * How a {@link PlatformClient} batches single appends, as Kafka's producer does.
 *
 * @param linger          how long a batch waits for more events before it is sent when no other
 *                        batch is in flight (Kafka's {@code linger.ms}). While a batch is in
 *                        flight the next one fills anyway, so the default is zero: a lone append
 *                        leaves at once, and under load batches grow by themselves
 * @param maxBatchBytes   the most bytes of frames one batch request carries (an event larger than
 *                        this travels alone); at most the node's body limit, 64 MiB
 * @param maxBufferedBytes the most bytes of events waiting or in flight; an append beyond it waits
 *                        (back-pressure) for up to {@code maxBlock}, then fails with
 *                        {@code buffer_full}
 * @param maxBlock        how long an append may wait for buffer space
 * @param maxEventBytes   the largest event data accepted (the node's default limit, 2 MiB): a
 *                        larger one fails at once, alone, instead of failing the batch it would
 *                        travel in
 */
public record AppendOptions(Duration linger, int maxBatchBytes, long maxBufferedBytes, Duration maxBlock,
                            int maxEventBytes) {
    /** Zero linger, 1 MiB batches, 32 MiB buffered, 60 s of blocking, events up to 2 MiB. */
    public static final AppendOptions DEFAULT = new AppendOptions(Duration.ZERO, 1024 * 1024, 32L * 1024 * 1024,
            Duration.ofSeconds(60), 2 * 1024 * 1024);
    /** The node's largest batch body. */
    public static final int MAX_BATCH_BYTES = 64 * 1024 * 1024;
    /** The node's largest number of events in a batch. */
    public static final int MAX_BATCH_EVENTS = 100_000;

    public AppendOptions {
        if (linger.isNegative() || maxBlock.isNegative()) {
            throw new IllegalArgumentException("linger and maxBlock must not be negative");
        }
        if (maxBatchBytes < 1 || maxBatchBytes > MAX_BATCH_BYTES) {
            throw new IllegalArgumentException("maxBatchBytes must be between 1 and " + MAX_BATCH_BYTES + ", not " + maxBatchBytes);
        }
        if (maxEventBytes < 0 || maxBufferedBytes < maxBatchBytes) {
            throw new IllegalArgumentException("maxBufferedBytes must be at least maxBatchBytes, maxEventBytes not negative");
        }
    }

    public AppendOptions withLinger(Duration value) {
        return new AppendOptions(value, maxBatchBytes, maxBufferedBytes, maxBlock, maxEventBytes);
    }

    public AppendOptions withMaxBatchBytes(int value) {
        return new AppendOptions(linger, value, Math.max(maxBufferedBytes, value), maxBlock, maxEventBytes);
    }

    public AppendOptions withMaxBufferedBytes(long value) {
        return new AppendOptions(linger, maxBatchBytes, value, maxBlock, maxEventBytes);
    }

    public AppendOptions withMaxBlock(Duration value) {
        return new AppendOptions(linger, maxBatchBytes, maxBufferedBytes, value, maxEventBytes);
    }
}
