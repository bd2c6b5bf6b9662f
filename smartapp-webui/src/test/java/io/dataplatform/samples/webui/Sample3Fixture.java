package io.dataplatform.samples.webui;

import io.dataplatform.views.Checkpoint;
import io.dataplatform.views.ViewChange;
import io.dataplatform.views.ViewContainer;
import io.dataplatform.views.ViewStore;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes sample-3 views in the shapes {@code docs/samples.md} documents (as the projections
 * commit them: changed views with the checkpoint), from known counts. Not thread-safe.
 */
final class Sample3Fixture {
    private final ViewContainer tags;
    private final ViewContainer users;
    private final ViewContainer weekdays;
    private final Map<String, Long> tagCounts = new LinkedHashMap<>();
    private final Map<Long, String> names = new LinkedHashMap<>();
    private final Map<Long, long[]> days = new LinkedHashMap<>();
    private long events;
    private long position;

    Sample3Fixture(ViewStore store) {
        this.tags = store.container(Sample3Views.POSTS_BY_TAG);
        this.users = store.container(Sample3Views.COMMENTS_BY_USER);
        this.weekdays = store.container(Sample3Views.COMMENTS_BY_WEEKDAY);
    }

    /** Adds {@code posts} posts to {@code tag}; call {@link #commit} to write. */
    Sample3Fixture tag(String tag, long posts) {
        tagCounts.merge(tag, posts, Long::sum);
        events += posts;
        return this;
    }

    /** Adds comments of a user by weekday (Monday first); call {@link #commit} to write. */
    Sample3Fixture user(long id, String name, long... perDay) {
        names.put(id, name);
        long[] sum = days.computeIfAbsent(id, k -> new long[7]);
        for (int i = 0; i < 7; i++) {
            sum[i] += perDay[i];
            events += perDay[i];
        }
        return this;
    }

    long comments(long userId) {
        long sum = 0;
        for (long d : days.get(userId)) {
            sum += d;
        }
        return sum;
    }

    /** Writes every view (all of them: fine for tests) and the status views, one commit per container. */
    void commit() {
        position += 1000;
        String now = Instant.now().toString();
        List<ViewChange> tagChanges = new ArrayList<>();
        long tagged = 0;
        for (Map.Entry<String, Long> e : tagCounts.entrySet()) {
            tagChanges.add(json("tag/" + e.getKey(), "{\"tag\":" + quote(e.getKey()) + ",\"posts\":" + e.getValue() + "}"));
            tagged += e.getValue();
        }
        List<Map.Entry<String, Long>> topTags = new ArrayList<>(tagCounts.entrySet());
        topTags.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        StringBuilder top = new StringBuilder("{\"taggedPosts\":" + tagged + ",\"tags\":" + tagCounts.size()
                + ",\"unkeyedTags\":0,\"top\":{\"size\":100,\"entries\":[");
        for (int i = 0; i < Math.min(100, topTags.size()); i++) {
            Map.Entry<String, Long> e = topTags.get(i);
            top.append(i == 0 ? "" : ",").append("{\"key\":").append(quote(e.getKey())).append(",\"label\":")
                    .append(quote(e.getKey())).append(",\"count\":").append(e.getValue()).append('}');
        }
        tagChanges.add(json("top", top.append("]}}").toString()));
        tagChanges.add(status(Sample3Views.POSTS_BY_TAG, now));
        tags.commit(tagChanges, Checkpoint.at(position));

        List<ViewChange> userChanges = new ArrayList<>();
        List<ViewChange> dayChanges = new ArrayList<>();
        long[] all = new long[7];
        long comments = 0;
        for (Map.Entry<Long, long[]> e : days.entrySet()) {
            long id = e.getKey();
            long count = comments(id);
            comments += count;
            for (int i = 0; i < 7; i++) {
                all[i] += e.getValue()[i];
            }
            userChanges.add(json("user/" + id, "{\"userId\":" + id + ",\"name\":" + quote(names.get(id))
                    + ",\"comments\":" + count + "}"));
            dayChanges.add(json("user/" + id, "{\"userId\":" + id + ",\"name\":" + quote(names.get(id))
                    + ",\"days\":" + array(e.getValue()) + "}"));
        }
        List<Long> ids = new ArrayList<>(days.keySet());
        ids.sort(Comparator.comparingLong(this::comments).reversed().thenComparingLong(id -> id));
        StringBuilder userTop = new StringBuilder("{\"comments\":" + comments + ",\"anonymousComments\":0,\"commenters\":"
                + ids.size() + ",\"top\":{\"size\":100,\"entries\":[");
        for (int i = 0; i < Math.min(100, ids.size()); i++) {
            long id = ids.get(i);
            userTop.append(i == 0 ? "" : ",").append("{\"key\":\"").append(id).append("\",\"label\":")
                    .append(quote(names.get(id))).append(",\"count\":").append(comments(id)).append('}');
        }
        userChanges.add(json("top", userTop.append("]}}").toString()));
        userChanges.add(status(Sample3Views.COMMENTS_BY_USER, now));
        users.commit(userChanges, Checkpoint.at(position));
        dayChanges.add(json("all", "{\"userId\":0,\"name\":null,\"days\":" + array(all) + "}"));
        dayChanges.add(status(Sample3Views.COMMENTS_BY_WEEKDAY, now));
        weekdays.commit(dayChanges, Checkpoint.at(position));
    }

    private ViewChange status(String projection, String now) {
        return json("status", "{\"projection\":\"" + projection + "\",\"position\":" + position + ",\"version\":" + events
                + ",\"events\":" + events + ",\"batches\":1,\"lastUpdate\":\"" + now + "\",\"lastEventTime\":\"" + now + "\"}");
    }

    private static ViewChange json(String key, String document) {
        return ViewChange.write(key, document.getBytes(StandardCharsets.UTF_8));
    }

    private static String array(long[] values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            out.append(i == 0 ? "" : ",").append(values[i]);
        }
        return out.append(']').toString();
    }

    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
