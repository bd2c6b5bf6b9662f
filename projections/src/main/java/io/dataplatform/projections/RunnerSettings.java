package io.dataplatform.projections;

import io.dataplatform.rules.Backoff;

import java.time.Duration;
import java.util.Objects;

/**
 * How a runner reads and retries, from the framework's configuration keys ({@link FrameworkKeys}).
 *
 * @param maxEvents most events per batch ({@code batch.max.events}, default 10,000)
 * @param maxBytes about the most bytes of records per batch ({@code batch.max.bytes}, default 8 MiB)
 * @param backoff retries of a failing batch ({@code retry.max}) and the pauses before them
 *     ({@code retry.backoff.ms} doubling up to {@code retry.backoff.max.ms}); past them, FAILED
 * @param rebuildOnRecreate replay from the start when the store was deleted and created again
 *     ({@code rebuild.on.store.recreated}), instead of stopping FAILED
 */
public record RunnerSettings(int maxEvents, int maxBytes, Backoff backoff, boolean rebuildOnRecreate) {

    public static final int DEFAULT_MAX_EVENTS = 10_000;
    public static final int DEFAULT_MAX_BYTES = 8 << 20;

    public RunnerSettings {
        Objects.requireNonNull(backoff, "backoff");
        if (maxEvents < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("batch limits must be positive: " + maxEvents + " events, " + maxBytes + " bytes");
        }
    }

    /** 10,000 events or 8 MiB a batch; 10 retries from 100 ms doubling up to 30 s; FAILED when the store was recreated. */
    public static RunnerSettings defaults() {
        return new RunnerSettings(DEFAULT_MAX_EVENTS, DEFAULT_MAX_BYTES,
                Backoff.exponential(10, Duration.ofMillis(100), Duration.ofSeconds(30)), false);
    }

    /** The settings a validated configuration asks for. */
    public static RunnerSettings of(ProjectionConfig config) {
        Duration first = Duration.ofMillis(config.getLong(FrameworkKeys.RETRY_BACKOFF_MS));
        Duration max = Duration.ofMillis(config.getLong(FrameworkKeys.RETRY_BACKOFF_MAX_MS));
        return new RunnerSettings(config.getInt(FrameworkKeys.BATCH_MAX_EVENTS), config.getInt(FrameworkKeys.BATCH_MAX_BYTES),
                Backoff.exponential(config.getInt(FrameworkKeys.RETRY_MAX), first, max.compareTo(first) < 0 ? first : max),
                config.getBoolean(FrameworkKeys.REBUILD_ON_STORE_RECREATED));
    }

    public RunnerSettings withRetries(int count, Duration first) {
        Duration max = backoff.maxPause().compareTo(first) < 0 ? first : backoff.maxPause();
        return new RunnerSettings(maxEvents, maxBytes, Backoff.exponential(count, first, max), rebuildOnRecreate);
    }

    public RunnerSettings withBatch(int events, int bytes) {
        return new RunnerSettings(events, bytes, backoff, rebuildOnRecreate);
    }

    public RunnerSettings withRebuildOnRecreate(boolean value) {
        return new RunnerSettings(maxEvents, maxBytes, backoff, value);
    }
}
