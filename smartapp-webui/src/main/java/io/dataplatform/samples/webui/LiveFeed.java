package io.dataplatform.samples.webui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The page's live state: every {@code pollMillis} one thread reads the small views (the
 * {@code top} lists, {@code comments-by-weekday/all}, each container's {@code status}), the
 * store's head and the demo's progress, builds the summary JSON and, when it changed, hands it to
 * every subscriber (the server-sent event streams). A second thread rebuilds the {@link ViewIndex}
 * again and again, pausing as long as the last build took (at least two seconds), so a big index
 * costs at most half of one core. Owns those two threads ({@link #close} stops them).
 * Thread-safe.
 */
final class LiveFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Top entries sent with every summary (the bar chart and the first rows). */
    static final int SUMMARY_TOP = 15;
    private static final long RATE_WINDOW_NANOS = 5_000_000_000L;

    private final Sample3Views views;
    private final ViewIndex index;
    private final ProcessingSource processing;
    private final Supplier<JsonNode> demo;
    private final long pollMillis;
    private final List<Consumer<String>> subscribers = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<long[]>> samples = new HashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "webui-live-feed"));
    private final ScheduledExecutorService indexer = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "webui-view-index"));
    private volatile String summary;
    private volatile long changes;

    LiveFeed(Sample3Views views, ViewIndex index, ProcessingSource processing, Supplier<JsonNode> demo, long pollMillis) {
        this.views = views;
        this.index = index;
        this.processing = processing;
        this.demo = demo;
        this.pollMillis = pollMillis;
        this.summary = build().toString();
    }

    void start() {
        poller.scheduleWithFixedDelay(this::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
        indexer.execute(this::reindex);
    }

    /** The latest summary JSON. */
    String summary() {
        return summary;
    }

    /** How many times the summary changed: a cheap change stamp. */
    long changes() {
        return changes;
    }

    /** Registers {@code subscriber}, called on the feed's thread with each new summary; returns its removal. */
    Runnable subscribe(Consumer<String> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    private void poll() {
        try {
            String next = build().toString();
            if (!next.equals(summary)) {
                summary = next;
                changes++;
                for (Consumer<String> subscriber : subscribers) {
                    subscriber.accept(next);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("reading the views for the live feed failed: {}", e.toString());
        }
    }

    private void reindex() {
        long pause = 2000;
        try {
            ViewIndex.Snapshot built = index.refresh();
            pause = Math.max(2000, built.buildMillis());
            poll();
        } catch (RuntimeException e) {
            LOG.warn("indexing the views failed (retrying): {}", e.toString());
        }
        if (!indexer.isShutdown()) {
            indexer.schedule(this::reindex, pause, TimeUnit.MILLISECONDS);
        }
    }

    /** The summary as it is now (reads views; blocking). */
    ObjectNode build() {
        ObjectNode root = JSON.createObjectNode();
        JsonNode tagTop = views.tagTop();
        ObjectNode tags = root.putObject("tags");
        tags.put("ready", tagTop != null);
        tags.put("taggedPosts", tagTop == null ? 0 : tagTop.path("taggedPosts").asLong());
        tags.put("tags", tagTop == null ? 0 : tagTop.path("tags").asLong());
        ArrayNode topTags = tags.putArray("top");
        for (JsonNode entry : entries(tagTop, SUMMARY_TOP)) {
            topTags.addObject().put("tag", entry.path("key").asText()).put("posts", entry.path("count").asLong());
        }
        JsonNode userTop = views.userTop();
        ObjectNode users = root.putObject("users");
        users.put("ready", userTop != null);
        users.put("comments", userTop == null ? 0 : userTop.path("comments").asLong());
        users.put("anonymousComments", userTop == null ? 0 : userTop.path("anonymousComments").asLong());
        users.put("commenters", userTop == null ? 0 : userTop.path("commenters").asLong());
        ArrayNode topUsers = users.putArray("top");
        for (JsonNode entry : entries(userTop, SUMMARY_TOP)) {
            topUsers.addObject().put("userId", entry.path("key").asLong()).put("name", entry.path("label").asText(null))
                    .put("comments", entry.path("count").asLong());
        }
        JsonNode all = views.allWeekdays();
        if (all != null && all.path("days").isArray()) {
            root.set("weekdays", all.get("days"));
        } else {
            root.putNull("weekdays");
        }
        ProcessingSource.Head head = processing.head();
        if (head != null) {
            root.putObject("head").put("position", head.position()).put("version", head.version());
        } else {
            root.putNull("head");
        }
        ArrayNode projections = root.putArray("projections");
        long now = System.nanoTime();
        for (String name : Sample3Views.PROJECTIONS) {
            projections.add(projection(name, views.status(name), head, now));
        }
        ViewIndex.Snapshot snapshot = index.snapshot();
        root.putObject("index").put("generation", snapshot.generation()).put("tags", snapshot.tags().size())
                .put("users", snapshot.users().size()).put("buildMillis", snapshot.buildMillis())
                .put("truncated", snapshot.truncated());
        JsonNode progress = demo.get();
        if (progress != null) {
            root.set("demo", progress);
        } else {
            root.putNull("demo");
        }
        return root;
    }

    private ObjectNode projection(String name, JsonNode status, ProcessingSource.Head head, long now) {
        ObjectNode out = JSON.createObjectNode().put("name", name);
        String state = processing.state(name);
        String error = processing.error(name);
        if (status == null) {
            out.put("state", state == null ? "WAITING" : state).putNull("position").putNull("version").put("events", 0)
                    .putNull("lag").put("eventsPerSecond", 0.0).putNull("lastUpdate").putNull("lastEventTime");
        } else {
            long events = status.path("events").asLong();
            long version = status.path("version").asLong();
            out.put("state", state == null ? "RUNNING" : state).put("position", status.path("position").asLong())
                    .put("version", version).put("events", events)
                    .put("batches", status.path("batches").asLong())
                    .put("eventsPerSecond", rate(name, events, now))
                    .put("lastUpdate", status.path("lastUpdate").asText(null))
                    .put("lastEventTime", status.path("lastEventTime").asText(null));
            if (head != null) {
                out.put("lag", Math.max(0, head.version() - version));
            } else {
                out.putNull("lag");
            }
        }
        if (error != null) {
            out.put("error", error);
        }
        return out;
    }

    /** Events per second over the last five seconds of samples (0 with fewer than two), rounded. */
    private double rate(String name, long events, long now) {
        Deque<long[]> window = samples.computeIfAbsent(name, n -> new ArrayDeque<>());
        synchronized (window) {
            window.addLast(new long[] {now, events});
            while (window.size() > 2 && now - window.peekFirst()[0] > RATE_WINDOW_NANOS) {
                window.removeFirst();
            }
            long[] first = window.peekFirst();
            double seconds = (now - first[0]) / 1e9;
            if (seconds < 0.5 || events < first[1]) {
                return 0.0;
            }
            return Math.round((events - first[1]) / seconds);
        }
    }

    private static List<JsonNode> entries(JsonNode top, int limit) {
        if (top == null) {
            return List.of();
        }
        JsonNode entries = top.path("top").path("entries");
        java.util.ArrayList<JsonNode> out = new java.util.ArrayList<>();
        for (JsonNode entry : entries) {
            if (out.size() == limit) {
                break;
            }
            out.add(entry);
        }
        return out;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void close() {
        poller.shutdownNow();
        indexer.shutdownNow();
    }
}
