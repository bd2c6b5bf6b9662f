package io.dataplatform.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** What any process's meters look like once scraped: the names and lines other processes' /metrics will show. */
class PrometheusMetricsTest {

    private final PrometheusMetrics metrics = new PrometheusMetrics();

    @Test
    void dottedMeterNamesComeOutInPrometheusForm() {
        Counter.builder("dp.projected.events").description("Events projected.").register(metrics.registry()).increment(5);
        AtomicLong lag = new AtomicLong(42);
        Gauge.builder("dp.projection.lag.bytes", lag, AtomicLong::get).description("Bytes behind.").register(metrics.registry());
        Timer.builder("dp.view.commit").serviceLevelObjectives(PrometheusMetrics.latencyBuckets())
                .register(metrics.registry()).record(Duration.ofMillis(3));
        DistributionSummary.builder("dp.batch.events").serviceLevelObjectives(1, 10).register(metrics.registry()).record(7);

        String text = metrics.scrape();
        assertThat(text).contains(
                "# HELP dp_projected_events_total Events projected.\n",
                "# TYPE dp_projected_events_total counter\n",
                "dp_projected_events_total 5.0\n",
                "# TYPE dp_projection_lag_bytes gauge\n",
                "dp_projection_lag_bytes 42.0\n",
                "# TYPE dp_view_commit_seconds histogram\n",
                "dp_view_commit_seconds_bucket{le=\"0.0025\"} 0\n",
                "dp_view_commit_seconds_bucket{le=\"0.005\"} 1\n",
                "dp_view_commit_seconds_count 1\n",
                "dp_view_commit_seconds_sum 0.003\n",
                "dp_batch_events_bucket{le=\"1.0\"} 0\n",
                "dp_batch_events_bucket{le=\"10.0\"} 1\n",
                "dp_batch_events_bucket{le=\"+Inf\"} 1\n");
        lag.set(7);
        assertThat(metrics.scrape()).as("gauges are read at each scrape").contains("dp_projection_lag_bytes 7.0\n");
    }

    @Test
    void latencyBucketsRiseFrom100MicrosecondsTo2500Milliseconds() {
        Duration[] buckets = PrometheusMetrics.latencyBuckets();
        assertThat(buckets[0]).isEqualTo(Duration.ofNanos(100_000));
        assertThat(buckets[buckets.length - 1]).isEqualTo(Duration.ofMillis(2500));
        for (int i = 1; i < buckets.length; i++) {
            assertThat(buckets[i]).isGreaterThan(buckets[i - 1]);
        }
        buckets[0] = Duration.ZERO;
        assertThat(PrometheusMetrics.latencyBuckets()[0]).as("callers get copies").isEqualTo(Duration.ofNanos(100_000));
    }
}
