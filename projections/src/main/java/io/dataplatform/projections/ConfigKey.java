package io.dataplatform.projections;

import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration key a projection declares (as a Kafka Connect {@code ConfigDef} entry): its name,
 * type, default (null for a required key) and documentation, and optionally a check of its value.
 *
 * @param name the key, e.g. {@code min.size}
 * @param type how the value is checked and read
 * @param defaultValue the value when the configuration has none; null makes the key required
 * @param doc one or two sentences for the plugin listing and validation answers
 * @param validator null, or a check returning null when a (well-typed) value is fine, else why not
 */
public record ConfigKey(String name, ConfigType type, String defaultValue, String doc, Function<String, String> validator) {

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(doc, "doc");
        if (defaultValue != null && type.check(defaultValue) != null) {
            throw new IllegalArgumentException("default of '" + name + "': " + type.check(defaultValue));
        }
    }

    /** A key the configuration must give. */
    public static ConfigKey required(String name, ConfigType type, String doc) {
        return new ConfigKey(name, type, null, doc, null);
    }

    /** A key with a default. */
    public static ConfigKey optional(String name, ConfigType type, String defaultValue, String doc) {
        return new ConfigKey(name, type, Objects.requireNonNull(defaultValue, "defaultValue"), doc, null);
    }

    /** This key with a value check (null when fine, else the reason). */
    public ConfigKey checkedBy(Function<String, String> check) {
        return new ConfigKey(name, type, defaultValue, doc, check);
    }

    public boolean isRequired() {
        return defaultValue == null;
    }

    /** Null if {@code value} (null: absent) is acceptable for this key, else why not. */
    public String problem(String value) {
        if (value == null) {
            return isRequired() ? "missing required configuration '" + name + "'" : null;
        }
        String typeProblem = type.check(value);
        if (typeProblem != null) {
            return typeProblem;
        }
        return validator == null ? null : validator.apply(value);
    }
}
