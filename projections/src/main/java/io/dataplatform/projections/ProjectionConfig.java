package io.dataplatform.projections;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A projection's configuration as given to {@link Projection#start}: every key as a string, with
 * the defaults of the declared keys filled in, and typed getters. Immutable and thread-safe.
 */
public final class ProjectionConfig {

    private final String name;
    private final Map<String, String> values;

    /**
     * @param name the projection's name (as in {@code POST /projections})
     * @param values the configuration as given
     * @param keys the keys declared for it (framework and plugin): their defaults fill gaps
     */
    public ProjectionConfig(String name, Map<String, String> values, Collection<ConfigKey> keys) {
        this.name = Objects.requireNonNull(name, "name");
        Map<String, String> all = new LinkedHashMap<>();
        for (ConfigKey key : keys) {
            if (key.defaultValue() != null) {
                all.put(key.name(), key.defaultValue());
            }
        }
        all.putAll(values);
        this.values = Map.copyOf(all);
    }

    /** A configuration without declared keys (for tests and embedding). */
    public static ProjectionConfig of(String name, Map<String, String> values) {
        return new ProjectionConfig(name, values, List.of());
    }

    /** The projection's name. */
    public String name() {
        return name;
    }

    /** Every value, defaults included. */
    public Map<String, String> values() {
        return values;
    }

    /** The value of {@code key}, or null if it has neither a value nor a default. */
    public String get(String key) {
        return values.get(key);
    }

    public String getString(String key) {
        return require(key);
    }

    public int getInt(String key) {
        return Integer.parseInt(require(key).trim());
    }

    public long getLong(String key) {
        return Long.parseLong(require(key).trim());
    }

    public double getDouble(String key) {
        return Double.parseDouble(require(key).trim());
    }

    public boolean getBoolean(String key) {
        return Boolean.parseBoolean(require(key).trim());
    }

    private String require(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("projection '" + name + "' has no configuration '" + key + "'");
        }
        return value;
    }

    @Override
    public String toString() {
        return "ProjectionConfig[" + name + "]";
    }
}
