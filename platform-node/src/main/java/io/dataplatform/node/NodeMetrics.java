package io.dataplatform.node;

import io.dataplatform.metrics.PrometheusMetrics;
import io.dataplatform.store.CommitListener;
import io.dataplatform.store.StoreEngine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's meters, registered on a {@link PrometheusMetrics} registry and answered at
 * {@code /metrics}: appends, events and bytes committed, commits, events and appends per commit,
 * write and sync latency, queued bytes, body and answer budgets, waiting long polls, heap, failed
 * and damaged stores, HTTP answers by status class and 503 answers. Fed by the engine's commit listener
 * (writer threads) and by the HTTP layer (event loops); the names are listed in
 * {@code docs/node.md}. Thread-safe; the update paths look nothing up.
 */
final class NodeMetrics implements CommitListener {

    private static final double[] BATCH_BUCKETS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000, 10000, 100000};

    private final PrometheusMetrics metrics;
    private final Counter commits;
    private final Counter appends;
    private final Counter events;
    private final Counter bytes;
    private final DistributionSummary eventsPerCommit;
    private final DistributionSummary appendsPerCommit;
    private final Timer writeTime;
    private final Timer syncTime;
    /** Answers by status class: index 0 is 1xx, 4 is 5xx. */
    private final Counter[] answersByClass = new Counter[5];
    /** Every 503 answer, whatever its cause (a full queue, the body budget, shutting down, a failed store). */
    private final Counter unavailableAnswers;
    private final AtomicInteger longPolls = new AtomicInteger();

    NodeMetrics(PrometheusMetrics metrics, StoreEngine engine, InFlightBytes inFlight, InFlightBytes answers) {
        this.metrics = metrics;
        MeterRegistry registry = metrics.registry();
        commits = Counter.builder("dp.commits").description("Group commits written by the store writers.").register(registry);
        appends = Counter.builder("dp.appends").description("Appends (requests) committed.").register(registry);
        events = Counter.builder("dp.events").description("Events committed.").register(registry);
        bytes = Counter.builder("dp.bytes").description("Bytes of records committed.").register(registry);
        eventsPerCommit = DistributionSummary.builder("dp.commit.events").description("Events per group commit.")
                .serviceLevelObjectives(BATCH_BUCKETS).register(registry);
        appendsPerCommit = DistributionSummary.builder("dp.commit.appends").description("Appends per group commit.")
                .serviceLevelObjectives(BATCH_BUCKETS).register(registry);
        writeTime = Timer.builder("dp.write").description("Time to write one group commit.")
                .serviceLevelObjectives(PrometheusMetrics.latencyBuckets()).register(registry);
        syncTime = Timer.builder("dp.sync").description("Time to sync one group commit.")
                .serviceLevelObjectives(PrometheusMetrics.latencyBuckets()).register(registry);
        Gauge.builder("dp.queued.bytes", engine, StoreEngine::queuedBytes)
                .description("Bytes of appends waiting in writer queues.").register(registry);
        Gauge.builder("dp.http.inflight.bytes", inFlight, InFlightBytes::reserved)
                .description("Bytes of request bodies held by the node.").register(registry);
        Gauge.builder("dp.http.answer.bytes", answers, InFlightBytes::reserved)
                .description("Bytes of read answers written but not yet taken by their clients.").register(registry);
        Gauge.builder("dp.long.polls.waiting", longPolls, AtomicInteger::get)
                .description("Requests waiting for a commit (events?wait=..., commit?after=...&waitMs=...).").register(registry);
        Runtime runtime = Runtime.getRuntime();
        Gauge.builder("dp.jvm.heap.used.bytes", runtime, r -> r.totalMemory() - r.freeMemory())
                .description("Heap in use now (garbage not yet collected included).").register(registry);
        Gauge.builder("dp.jvm.heap.max.bytes", runtime, Runtime::maxMemory)
                .description("Largest heap the node may use.").register(registry);
        Gauge.builder("dp.failed.stores", engine, e -> e.failedStores().size())
                .description("Stores refusing writes until reopened (a failed sync).").register(registry);
        Gauge.builder("dp.damaged.stores", engine, e -> e.damagedStores().size())
                .description("Stores that cannot be opened (damaged, or of an unknown format).").register(registry);
        for (int i = 0; i < answersByClass.length; i++) {
            answersByClass[i] = Counter.builder("dp.http.responses").description("HTTP answers by status class.")
                    .tag("class", (i + 1) + "xx").register(registry);
        }
        unavailableAnswers = Counter.builder("dp.http.unavailable")
                .description("Answers 503 (back-pressure, shutting down).").register(registry);
    }

    @Override
    public void committed(Commit commit) {
        commits.increment();
        appends.increment(commit.appends());
        events.increment(commit.events());
        bytes.increment(commit.bytes());
        eventsPerCommit.record(commit.events());
        appendsPerCommit.record(commit.appends());
        writeTime.record(commit.writeNanos(), TimeUnit.NANOSECONDS);
        syncTime.record(commit.syncNanos(), TimeUnit.NANOSECONDS);
    }

    void response(int status) {
        int index = status / 100 - 1;
        if (index >= 0 && index < answersByClass.length) {
            answersByClass[index].increment();
        }
        if (status == 503) {
            unavailableAnswers.increment();
        }
    }

    /** A long-poll started (+1) or ended (-1) waiting for a commit. */
    void longPollWaiting(int delta) {
        longPolls.addAndGet(delta);
    }

    /** Every meter in the Prometheus text format. */
    String render() {
        return metrics.scrape();
    }
}
