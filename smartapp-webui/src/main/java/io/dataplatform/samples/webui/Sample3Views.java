package io.dataplatform.samples.webui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataplatform.views.ViewReader;
import io.dataplatform.views.ViewStore;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the views of sample 3 (containers {@code posts-by-tag}, {@code comments-by-user},
 * {@code comments-by-weekday}; keys and JSON in {@code docs/samples.md}) through views-kv, never
 * the store. Holds no state but the readers. Thread-safe: views-kv readers are.
 */
final class Sample3Views {
    static final String POSTS_BY_TAG = "posts-by-tag";
    static final String COMMENTS_BY_USER = "comments-by-user";
    static final String COMMENTS_BY_WEEKDAY = "comments-by-weekday";
    static final List<String> PROJECTIONS = List.of(POSTS_BY_TAG, COMMENTS_BY_USER, COMMENTS_BY_WEEKDAY);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ViewReader tags;
    private final ViewReader users;
    private final ViewReader weekdays;

    Sample3Views(ViewStore store) {
        this.tags = store.reader(POSTS_BY_TAG);
        this.users = store.reader(COMMENTS_BY_USER);
        this.weekdays = store.reader(COMMENTS_BY_WEEKDAY);
    }

    /** The reader of one of {@link #PROJECTIONS}. */
    ViewReader container(String projection) {
        return switch (projection) {
            case POSTS_BY_TAG -> tags;
            case COMMENTS_BY_USER -> users;
            case COMMENTS_BY_WEEKDAY -> weekdays;
            default -> throw new IllegalArgumentException("not a sample-3 projection: " + projection);
        };
    }

    /** {@code posts-by-tag/top}, or null before the first commit. */
    JsonNode tagTop() {
        return tree(tags, "top");
    }

    /** {@code comments-by-user/top}, or null before the first commit. */
    JsonNode userTop() {
        return tree(users, "top");
    }

    /** {@code comments-by-weekday/all}, or null. */
    JsonNode allWeekdays() {
        return tree(weekdays, "all");
    }

    /** {@code comments-by-weekday/user/<id>}, or null. */
    JsonNode weekdays(long userId) {
        return tree(weekdays, "user/" + userId);
    }

    /** The {@code status} view of a projection's container, or null. */
    JsonNode status(String projection) {
        return tree(container(projection), "status");
    }

    /** Keys of one container under a prefix; close the stream. */
    Stream<String> keys(ViewReader reader, String prefix) {
        return reader.keys(prefix);
    }

    ViewReader tagsReader() {
        return tags;
    }

    ViewReader usersReader() {
        return users;
    }

    /** The view under {@code key} as a JSON tree, or null when missing or not JSON (a view being replaced). */
    static JsonNode tree(ViewReader reader, String key) {
        byte[] bytes = reader.readBytes(key);
        if (bytes == null) {
            return null;
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }
}
