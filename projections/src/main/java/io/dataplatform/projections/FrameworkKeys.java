package io.dataplatform.projections;

import io.dataplatform.rules.StorageName;
import io.dataplatform.store.StoreId;

import java.net.URI;
import java.util.List;

/**
 * The configuration keys every projection has, read by the framework rather than the plugin (as
 * Kafka Connect's {@code connector.class}, {@code tasks.max}).
 */
public final class FrameworkKeys {

    public static final String PROJECTION_CLASS = "projection.class";
    public static final String STORE = "store";
    public static final String STORE_LOCATION = "store.location";
    public static final String NODE = "node";
    public static final String NODE_TOKEN = "node.token";
    public static final String VIEWS_LOCATION = "views.location";
    public static final String VIEWS_CONTAINER = "views.container";
    public static final String BATCH_MAX_EVENTS = "batch.max.events";
    public static final String BATCH_MAX_BYTES = "batch.max.bytes";
    public static final String RETRY_MAX = "retry.max";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    public static final String REBUILD_ON_STORE_RECREATED = "rebuild.on.store.recreated";

    /** Every framework key. {@code views.container} defaults to the projection's name (filled in by the worker). */
    public static final List<ConfigKey> ALL = List.of(
            ConfigKey.required(PROJECTION_CLASS, ConfigType.STRING,
                    "The projection plugin: a short name (stream-counts) or a class name."),
            ConfigKey.required(STORE, ConfigType.STRING, "The store the projection reads.")
                    .checkedBy(StoreId::brokenRule),
            ConfigKey.optional(STORE_LOCATION, ConfigType.STRING, "",
                    "The store's storage location (a directory): read its files directly. Empty: read over HTTP from 'node'."),
            ConfigKey.optional(NODE, ConfigType.STRING, "",
                    "The node's URL (http://127.0.0.1:8080), for reads when 'store.location' is empty.")
                    .checkedBy(FrameworkKeys::checkUrl),
            ConfigKey.optional(NODE_TOKEN, ConfigType.PASSWORD, "", "A token with read access to the store, if the node asks for one."),
            ConfigKey.required(VIEWS_LOCATION, ConfigType.STRING,
                    "The view store's location: a directory (file backend), rocksdb:DIR, memory:NAME."),
            ConfigKey.optional(VIEWS_CONTAINER, ConfigType.STRING, "",
                    "The view container the projection owns. Empty: the projection's name.")
                    .checkedBy(v -> v.isEmpty() ? null : StorageName.brokenRule(v, "a view container name")),
            ConfigKey.optional(BATCH_MAX_EVENTS, ConfigType.INT, String.valueOf(RunnerSettings.DEFAULT_MAX_EVENTS),
                    "Most events per batch.").checkedBy(v -> Integer.parseInt(v.trim()) >= 1 ? null : "must be at least 1"),
            ConfigKey.optional(BATCH_MAX_BYTES, ConfigType.INT, String.valueOf(RunnerSettings.DEFAULT_MAX_BYTES),
                    "About the most bytes of records per batch (a batch holds one event at least).")
                    .checkedBy(v -> Integer.parseInt(v.trim()) >= 1 ? null : "must be at least 1"),
            ConfigKey.optional(RETRY_MAX, ConfigType.INT, "10",
                    "Retries of a failing batch before the projection is FAILED.")
                    .checkedBy(v -> Integer.parseInt(v.trim()) >= 0 ? null : "must not be negative"),
            ConfigKey.optional(RETRY_BACKOFF_MS, ConfigType.LONG, "100", "Pause before the first retry; each next one doubles.")
                    .checkedBy(v -> Long.parseLong(v.trim()) >= 0 ? null : "must not be negative"),
            ConfigKey.optional(RETRY_BACKOFF_MAX_MS, ConfigType.LONG, "30000", "Longest pause between retries.")
                    .checkedBy(v -> Long.parseLong(v.trim()) >= 0 ? null : "must not be negative"),
            ConfigKey.optional(REBUILD_ON_STORE_RECREATED, ConfigType.BOOLEAN, "false",
                    "When the store was deleted and created again: true replays it from the start, false stops FAILED."));

    private FrameworkKeys() {
    }

    private static String checkUrl(String value) {
        if (value.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(value.trim());
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                return "'" + value + "' is not an http(s) URL";
            }
            return null;
        } catch (IllegalArgumentException e) {
            return "'" + value + "' is not a URL: " + e.getMessage();
        }
    }
}
