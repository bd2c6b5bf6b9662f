package io.dataplatform.samples.webui;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataplatform.views.ViewReader;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * An in-memory index of every tag ({@code posts-by-tag/tag/*}) and every user
 * ({@code comments-by-user/user/*}), sorted by count, for search and pagination beyond the
 * {@code top} lists. Rebuilt whole by {@link #refresh} (one scan of both containers' keys); readers
 * see one immutable {@link Snapshot} or the next, never a half-built one. Bounded: at most
 * {@code maxEntries} tags and as many users (more are counted, not indexed).
 * Thread-safe: {@link #refresh} runs on one thread at a time, {@link #snapshot} from any.
 */
final class ViewIndex {
    record TagRow(String tag, long posts) {
    }

    record UserRow(long userId, String name, long comments) {
    }

    /** One complete index; {@code generation} 0 means none was built yet. */
    record Snapshot(List<TagRow> tags, List<UserRow> users, long generation, long builtAtMillis, long buildMillis,
            boolean truncated) {
        static final Snapshot NONE = new Snapshot(List.of(), List.of(), 0, 0, 0, false);

        List<TagRow> searchTags(String query) {
            if (query.isEmpty()) {
                return tags;
            }
            String q = query.toLowerCase(Locale.ROOT);
            return tags.stream().filter(row -> row.tag().toLowerCase(Locale.ROOT).contains(q)).toList();
        }

        List<UserRow> searchUsers(String query) {
            if (query.isEmpty()) {
                return users;
            }
            String q = query.toLowerCase(Locale.ROOT);
            return users.stream()
                    .filter(row -> Long.toString(row.userId()).equals(q)
                            || (row.name() != null && row.name().toLowerCase(Locale.ROOT).contains(q)))
                    .toList();
        }
    }

    private final Sample3Views views;
    private final int maxEntries;
    private volatile Snapshot current = Snapshot.NONE;

    ViewIndex(Sample3Views views, int maxEntries) {
        this.views = views;
        this.maxEntries = maxEntries;
    }

    Snapshot snapshot() {
        return current;
    }

    /** Scans both containers and publishes a new snapshot; returns it. Blocking (reads views). */
    Snapshot refresh() {
        long start = System.nanoTime();
        boolean[] truncated = {false};
        List<TagRow> tags = new ArrayList<>();
        scan(views.tagsReader(), "tag/", truncated, key -> {
            JsonNode view = Sample3Views.tree(views.tagsReader(), key);
            if (view != null) {
                tags.add(new TagRow(view.path("tag").asText(key.substring(4)), view.path("posts").asLong()));
            }
        });
        List<UserRow> users = new ArrayList<>();
        scan(views.usersReader(), "user/", truncated, key -> {
            JsonNode view = Sample3Views.tree(views.usersReader(), key);
            if (view != null) {
                JsonNode name = view.get("name");
                users.add(new UserRow(view.path("userId").asLong(), name == null || name.isNull() ? null : name.asText(),
                        view.path("comments").asLong()));
            }
        });
        tags.sort(Comparator.comparingLong(TagRow::posts).reversed().thenComparing(TagRow::tag));
        users.sort(Comparator.comparingLong(UserRow::comments).reversed().thenComparingLong(UserRow::userId));
        long millis = (System.nanoTime() - start) / 1_000_000;
        Snapshot next = new Snapshot(List.copyOf(tags), List.copyOf(users), current.generation() + 1,
                System.currentTimeMillis(), millis, truncated[0]);
        current = next;
        return next;
    }

    private void scan(ViewReader reader, String prefix, boolean[] truncated, java.util.function.Consumer<String> each) {
        try (Stream<String> keys = reader.keys(prefix)) {
            Iterator<String> it = keys.iterator();
            int n = 0;
            while (it.hasNext()) {
                String key = it.next();
                if (++n > maxEntries) {
                    truncated[0] = true;
                    return;
                }
                each.accept(key);
            }
        }
    }
}
