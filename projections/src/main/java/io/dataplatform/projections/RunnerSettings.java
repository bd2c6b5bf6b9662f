package io.dataplatform.projections;

import java.time.Duration;

/**
 * How a runner reads and retries, from the framework's configuration keys ({@link FrameworkKeys}).
 *
 * @param maxEvents most events per batch ({@code batch.max.events}, default 10,000)
 * @param maxBytes about the most bytes of records per batch ({@code batch.max.bytes}, default 8 MiB)
 * @param retries attempts of a failing batch after the first ({@code retry.max}), then FAILED
 * @param firstBackoff pause before the first retry ({@code retry.backoff.ms}); each next pause doubles
 * @param maxBackoff longest pause ({@code retry.backoff.max.ms})
 * @param rebuildOnRecreate replay from the start when the store was deleted and created again
 *     ({@code rebuild.on.store.recreated}), instead of stopping FAILED
 */
public record RunnerSettings(int maxEvents, int maxBytes, int retries, Duration firstBackoff, Duration maxBackoff,
                             boolean rebuildOnRecreate) {

    public static final int DEFAULT_MAX_EVENTS = 10_000;
    public static final int DEFAULT_MAX_BYTES = 8 << 20;

    public RunnerSettings {
        if (maxEvents < 1 || maxBytes < 1 || retries < 0 || firstBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("batch limits must be positive and retries not negative");
        }
    }

    public static RunnerSettings defaults() {
        return new RunnerSettings(DEFAULT_MAX_EVENTS, DEFAULT_MAX_BYTES, 10, Duration.ofMillis(100),
                Duration.ofSeconds(30), false);
    }

    /** The settings a validated configuration asks for. */
    public static RunnerSettings of(ProjectionConfig config) {
        return new RunnerSettings(config.getInt(FrameworkKeys.BATCH_MAX_EVENTS), config.getInt(FrameworkKeys.BATCH_MAX_BYTES),
                config.getInt(FrameworkKeys.RETRY_MAX), Duration.ofMillis(config.getLong(FrameworkKeys.RETRY_BACKOFF_MS)),
                Duration.ofMillis(config.getLong(FrameworkKeys.RETRY_BACKOFF_MAX_MS)),
                config.getBoolean(FrameworkKeys.REBUILD_ON_STORE_RECREATED));
    }

    public RunnerSettings withRetries(int count, Duration first) {
        return new RunnerSettings(maxEvents, maxBytes, count, first, maxBackoff, rebuildOnRecreate);
    }

    public RunnerSettings withBatch(int events, int bytes) {
        return new RunnerSettings(events, bytes, retries, firstBackoff, maxBackoff, rebuildOnRecreate);
    }
}
