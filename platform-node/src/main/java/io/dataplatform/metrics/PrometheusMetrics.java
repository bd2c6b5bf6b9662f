package io.dataplatform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;

/**
 * One process's meters, exposed as Prometheus text: the node's {@code /metrics} is
 * {@link #scrape()} with {@link #CONTENT_TYPE}, and so is every other process of the platform that
 * serves metrics (the projection worker, the web UI). Components register their Micrometer meters
 * on {@link #registry()}; meter names are dotted ({@code dp.commits}) and come out in Prometheus
 * form ({@code dp_commits_total}, {@code dp_write_seconds_bucket}). Thread-safe: meters are updated
 * from any thread, and a scrape reads them without stopping the writers.
 */
public final class PrometheusMetrics {

    /** The content type of {@link #scrape()}: Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Duration[] LATENCY_BUCKETS = {Duration.ofNanos(100_000), Duration.ofNanos(250_000),
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500)};

    /** Bucket bounds for latencies from 100 µs to 2.5 s (a timer's {@code serviceLevelObjectives}); a new array each call. */
    public static Duration[] latencyBuckets() {
        return LATENCY_BUCKETS.clone();
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** Where components register their meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Every meter, in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public String scrape() {
        return registry.scrape();
    }

    /** Stops the registry; meters registered later are no-ops. */
    public void close() {
        registry.close();
    }
}
