package io.dataplatform.samples.webui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One page of tags or users, answered from the freshest source that can: the {@code top} view
 * (exact at every commit) for the first pages without a search, the {@link ViewIndex} otherwise.
 * Reads views (blocking). Thread-safe (no state of its own).
 */
final class Pages {
    /** A validated page request: 1-based page, 1 to 100 rows, a query of at most 100 characters. */
    record Request(String query, int page, int size) {
        static final int MAX_SIZE = 100;
        static final int MAX_QUERY = 100;

        Request {
            query = query == null ? "" : query.strip();
            if (query.length() > MAX_QUERY) {
                throw new IllegalArgumentException("q: at most " + MAX_QUERY + " characters");
            }
            if (page < 1 || page > 1_000_000) {
                throw new IllegalArgumentException("page: 1 to 1000000, not " + page);
            }
            if (size < 1 || size > MAX_SIZE) {
                throw new IllegalArgumentException("size: 1 to " + MAX_SIZE + ", not " + size);
            }
        }

        int from() {
            return (page - 1) * size;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Sample3Views views;
    private final ViewIndex index;

    Pages(Sample3Views views, ViewIndex index) {
        this.views = views;
        this.index = index;
    }

    ObjectNode tags(Request request) {
        ObjectNode out = head(request);
        ArrayNode rows = out.putArray("rows");
        JsonNode top = views.tagTop();
        List<JsonNode> entries = entries(top);
        ViewIndex.Snapshot snapshot = index.snapshot();
        if (request.query().isEmpty() && fromTop(request, entries.size(), top == null ? 0 : top.path("tags").asLong())) {
            out.put("source", "top").put("total", top.path("tags").asLong());
            for (int i = request.from(); i < Math.min(entries.size(), request.from() + request.size()); i++) {
                rows.addObject().put("rank", i + 1).put("tag", entries.get(i).path("key").asText())
                        .put("posts", entries.get(i).path("count").asLong());
            }
        } else if (snapshot.generation() == 0) {
            out.put("source", "indexing").put("total", top == null ? 0 : top.path("tags").asLong());
        } else {
            List<ViewIndex.TagRow> found = snapshot.searchTags(request.query());
            out.put("source", "index").put("total", found.size()).put("indexedAt", snapshot.builtAtMillis());
            for (int i = request.from(); i < Math.min(found.size(), request.from() + request.size()); i++) {
                rows.addObject().put("rank", rank(snapshot.tags(), found, i)).put("tag", found.get(i).tag())
                        .put("posts", found.get(i).posts());
            }
        }
        out.put("empty", top == null);
        return out;
    }

    ObjectNode users(Request request) {
        ObjectNode out = head(request);
        ArrayNode rows = out.putArray("rows");
        JsonNode top = views.userTop();
        List<JsonNode> entries = entries(top);
        ViewIndex.Snapshot snapshot = index.snapshot();
        if (request.query().isEmpty() && fromTop(request, entries.size(), top == null ? 0 : top.path("commenters").asLong())) {
            out.put("source", "top").put("total", top.path("commenters").asLong());
            for (int i = request.from(); i < Math.min(entries.size(), request.from() + request.size()); i++) {
                JsonNode entry = entries.get(i);
                user(rows.addObject().put("rank", i + 1), entry.path("key").asLong(), entry.path("label").asText(null),
                        entry.path("count").asLong());
            }
        } else if (snapshot.generation() == 0) {
            out.put("source", "indexing").put("total", top == null ? 0 : top.path("commenters").asLong());
        } else {
            List<ViewIndex.UserRow> found = snapshot.searchUsers(request.query());
            out.put("source", "index").put("total", found.size()).put("indexedAt", snapshot.builtAtMillis());
            for (int i = request.from(); i < Math.min(found.size(), request.from() + request.size()); i++) {
                ViewIndex.UserRow row = found.get(i);
                user(rows.addObject().put("rank", rank(snapshot.users(), found, i)), row.userId(), row.name(),
                        row.comments());
            }
        }
        out.put("empty", top == null);
        return out;
    }

    private void user(ObjectNode row, long userId, String name, long comments) {
        row.put("userId", userId).put("name", name).put("comments", comments);
        JsonNode days = views.weekdays(userId);
        if (days != null && days.path("days").isArray()) {
            row.set("days", days.get("days"));
        } else {
            row.putNull("days");
        }
    }

    /** Whether the top list answers the page: it holds the page's rows, or every row there is. */
    private static boolean fromTop(Request request, int entries, long total) {
        return entries > 0 && (request.from() + request.size() <= entries || entries >= total);
    }

    /** The rank in the whole list: the position when not searching, else unknown (the position among matches). */
    private static <T> int rank(List<T> all, List<T> found, int i) {
        return all == found ? i + 1 : 0;
    }

    private static ObjectNode head(Request request) {
        return JSON.createObjectNode().put("query", request.query()).put("page", request.page())
                .put("size", request.size());
    }

    private static List<JsonNode> entries(JsonNode top) {
        if (top == null) {
            return List.of();
        }
        java.util.ArrayList<JsonNode> out = new java.util.ArrayList<>();
        top.path("top").path("entries").forEach(out::add);
        return out;
    }
}
