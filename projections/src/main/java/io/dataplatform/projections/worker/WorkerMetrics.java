package io.dataplatform.projections.worker;

import io.dataplatform.projections.ProjectionRunner;
import io.dataplatform.projections.ProjectionState;
import io.dataplatform.projections.ProjectionStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.dataplatform.metrics.PrometheusMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The worker's meters in the platform's Micrometer Prometheus registry ({@link PrometheusMetrics}), rendered at
 * {@code /metrics}: per projection
 * (tag {@code projection}) the lag in events and bytes, events applied and skipped, events per second,
 * the state, and the time of each batch's view commit. Fed by the runners (their threads) and read
 * by scrapes. Thread-safe.
 */
final class WorkerMetrics implements ProjectionRunner.Listener {

    private final PrometheusMetrics metrics = new PrometheusMetrics();
    private final MeterRegistry registry = metrics.registry();
    private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();
    private final Map<String, Timer> commitTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> eventCounters = new ConcurrentHashMap<>();

    /** Prometheus text exposition of every meter ({@link PrometheusMetrics#CONTENT_TYPE}). */
    String scrape() {
        return metrics.scrape();
    }

    void register(String name, ProjectionWorker worker) {
        unregister(name);
        List<Meter> own = new ArrayList<>();
        own.add(gauge("dp.projection.lag.events", "Events committed to the store and not yet applied.", name, worker,
                ProjectionStatus::lagEvents));
        own.add(gauge("dp.projection.lag.bytes", "Bytes of records committed to the store and not yet applied.", name, worker,
                ProjectionStatus::lagBytes));
        own.add(gauge("dp.projection.events.per.second", "Events applied per second over the last seconds.", name, worker,
                ProjectionStatus::eventsPerSecond));
        own.add(gauge("dp.projection.checkpoint", "Position of the projection's checkpoint.", name, worker,
                ProjectionStatus::checkpoint));
        own.add(gauge("dp.projection.events.skipped", "Events the projection skipped as not understood (since start).",
                name, worker, ProjectionStatus::eventsSkipped));
        own.add(gauge("dp.projection.failed", "1 while the projection is FAILED.", name, worker,
                s -> s.state() == ProjectionState.FAILED ? 1 : 0));
        Timer timer = Timer.builder("dp.projection.batch.commit").description("Time to commit one batch's views and checkpoint.")
                .tag("projection", name).serviceLevelObjectives(PrometheusMetrics.latencyBuckets()).register(registry);
        Counter events = Counter.builder("dp.projection.events").description("Events applied and committed.")
                .tag("projection", name).register(registry);
        own.add(timer);
        own.add(events);
        commitTimers.put(name, timer);
        eventCounters.put(name, events);
        meters.put(name, own);
    }

    void unregister(String name) {
        List<Meter> own = meters.remove(name);
        commitTimers.remove(name);
        eventCounters.remove(name);
        if (own != null) {
            own.forEach(registry::remove);
        }
    }

    @Override
    public void batchCommitted(String name, int events, long bytes, long commitNanos) {
        Timer timer = commitTimers.get(name);
        if (timer != null) {
            timer.record(commitNanos, TimeUnit.NANOSECONDS);
        }
        Counter counter = eventCounters.get(name);
        if (counter != null) {
            counter.increment(events);
        }
    }

    private Gauge gauge(String meter, String description, String name, ProjectionWorker worker,
            ToDoubleFunction<ProjectionStatus> value) {
        return Gauge.builder(meter, worker, w -> {
            ProjectionStatus status = w.statusOrNull(name);
            return status == null ? Double.NaN : value.applyAsDouble(status);
        }).description(description).tag("projection", name).register(registry);
    }
}
