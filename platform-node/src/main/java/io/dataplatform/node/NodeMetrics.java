package io.dataplatform.node;

import io.dataplatform.store.CommitListener;
import io.dataplatform.store.StoreEngine;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's counters, rendered as Prometheus text (exposition format 0.0.4) at {@code /metrics}:
 * appends, events and bytes committed, commits, events per commit, write and sync latency, queued
 * bytes, HTTP answers by status class. Fed by the engine's commit listener (writer threads) and by
 * the HTTP layer. Thread-safe and allocation-free on the update paths.
 */
final class NodeMetrics implements CommitListener {

    private static final double[] BATCH_BUCKETS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000, 10000, 100000};
    private static final double[] SECONDS_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
            0.05, 0.1, 0.25, 0.5, 1, 2.5};

    private final StoreEngine engine;
    private final InFlightBytes inFlight;
    private final InFlightBytes answers;
    private final LongAdder commits = new LongAdder();
    private final LongAdder appends = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final Histogram eventsPerCommit = new Histogram(BATCH_BUCKETS);
    private final Histogram appendsPerCommit = new Histogram(BATCH_BUCKETS);
    private final Histogram writeSeconds = new Histogram(SECONDS_BUCKETS);
    private final Histogram syncSeconds = new Histogram(SECONDS_BUCKETS);
    private final LongAdder[] responses = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(),
            new LongAdder()};
    private final LongAdder queueFull = new LongAdder();
    private final java.util.concurrent.atomic.AtomicInteger longPolls = new java.util.concurrent.atomic.AtomicInteger();

    NodeMetrics(StoreEngine engine, InFlightBytes inFlight, InFlightBytes answers) {
        this.engine = engine;
        this.inFlight = inFlight;
        this.answers = answers;
    }

    @Override
    public void committed(Commit commit) {
        commits.increment();
        appends.add(commit.appends());
        events.add(commit.events());
        bytes.add(commit.bytes());
        eventsPerCommit.observe(commit.events());
        appendsPerCommit.observe(commit.appends());
        writeSeconds.observe(commit.writeNanos() / 1e9);
        syncSeconds.observe(commit.syncNanos() / 1e9);
    }

    void response(int status) {
        int index = status / 100 - 1;
        if (index >= 0 && index < responses.length) {
            responses[index].increment();
        }
        if (status == 503) {
            queueFull.increment();
        }
    }

    /** A long-poll started (+1) or ended (-1) waiting for a commit. */
    void longPollWaiting(int delta) {
        longPolls.addAndGet(delta);
    }

    String render() {
        StringBuilder out = new StringBuilder(4096);
        counter(out, "dp_commits_total", "Group commits written by the store writers.", commits.sum());
        counter(out, "dp_appends_total", "Appends (requests) committed.", appends.sum());
        counter(out, "dp_events_total", "Events committed.", events.sum());
        counter(out, "dp_bytes_total", "Bytes of records committed.", bytes.sum());
        eventsPerCommit.render(out, "dp_commit_events", "Events per group commit.");
        appendsPerCommit.render(out, "dp_commit_appends", "Appends per group commit.");
        writeSeconds.render(out, "dp_write_seconds", "Time to write one group commit.");
        syncSeconds.render(out, "dp_sync_seconds", "Time to sync one group commit.");
        gauge(out, "dp_queued_bytes", "Bytes of appends waiting in writer queues.", engine.queuedBytes());
        gauge(out, "dp_http_inflight_bytes", "Bytes of request bodies held by the node.", inFlight.reserved());
        gauge(out, "dp_http_answer_bytes", "Bytes of read answers written but not yet taken by their clients.",
                answers.reserved());
        gauge(out, "dp_long_polls_waiting", "Reads waiting for a commit (wait=...).", longPolls.get());
        Runtime runtime = Runtime.getRuntime();
        gauge(out, "dp_jvm_heap_used_bytes", "Heap in use now (garbage not yet collected included).",
                runtime.totalMemory() - runtime.freeMemory());
        gauge(out, "dp_jvm_heap_max_bytes", "Largest heap the node may use.", runtime.maxMemory());
        gauge(out, "dp_failed_stores", "Stores refusing writes until reopened (a failed sync).", engine.failedStores().size());
        gauge(out, "dp_damaged_stores", "Stores that cannot be opened (damaged, or of an unknown format).",
                engine.damagedStores().size());
        out.append("# HELP dp_http_responses_total HTTP answers by status class.\n");
        out.append("# TYPE dp_http_responses_total counter\n");
        for (int i = 0; i < responses.length; i++) {
            out.append("dp_http_responses_total{class=\"").append(i + 1).append("xx\"} ")
                    .append(responses[i].sum()).append('\n');
        }
        counter(out, "dp_http_unavailable_total", "Answers 503 (back-pressure, shutting down).", queueFull.sum());
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        out.append(name).append(' ').append(value).append('\n');
    }

    /** A fixed-bucket histogram; sums kept in micro-units so that they fit a long. */
    private static final class Histogram {
        private final double[] bounds;
        private final AtomicLongArray counts;
        private final LongAdder count = new LongAdder();
        private final LongAdder sumMicros = new LongAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new AtomicLongArray(bounds.length);
        }

        void observe(double value) {
            for (int i = 0; i < bounds.length; i++) {
                if (value <= bounds[i]) {
                    counts.incrementAndGet(i);
                    break;
                }
            }
            count.increment();
            sumMicros.add(Math.round(value * 1e6));
        }

        void render(StringBuilder out, String name, String help) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n');
            out.append("# TYPE ").append(name).append(" histogram\n");
            long cumulative = 0;
            for (int i = 0; i < bounds.length; i++) {
                cumulative += counts.get(i);
                out.append(name).append("_bucket{le=\"").append(bounds[i]).append("\"} ").append(cumulative).append('\n');
            }
            out.append(name).append("_bucket{le=\"+Inf\"} ").append(count.sum()).append('\n');
            out.append(name).append("_sum ").append(sumMicros.sum() / 1e6).append('\n');
            out.append(name).append("_count ").append(count.sum()).append('\n');
        }
    }
}
