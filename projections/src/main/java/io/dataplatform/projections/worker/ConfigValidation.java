package io.dataplatform.projections.worker;

import io.dataplatform.projections.ConfigKey;
import io.dataplatform.projections.ConfigType;

import java.util.List;

/**
 * The result of validating a projection configuration against the framework's keys and the plugin's
 * (as Kafka Connect's {@code config/validate}): every declared key with its value and its errors.
 *
 * @param plugin the plugin's class name, or null if {@code projection.class} names none
 * @param keys one check per declared key, framework keys first
 * @param errors errors that concern no single key
 */
record ConfigValidation(String plugin, List<KeyCheck> keys, List<String> errors) {

    /** One declared key: its definition, the value given (null: absent), what is wrong with it. */
    record KeyCheck(ConfigKey key, String value, List<String> errors) {
        /** The value fit for an answer: passwords hidden. */
        String shownValue() {
            return value != null && key.type() == ConfigType.PASSWORD && !value.isEmpty() ? "[hidden]" : value;
        }
    }

    int errorCount() {
        return errors.size() + keys.stream().mapToInt(k -> k.errors().size()).sum();
    }

    /** Every error in one line, for a 400 answer. */
    String summary() {
        StringBuilder out = new StringBuilder();
        for (String error : errors) {
            out.append(out.isEmpty() ? "" : "; ").append(error);
        }
        for (KeyCheck check : keys) {
            for (String error : check.errors()) {
                out.append(out.isEmpty() ? "" : "; ").append(check.key().name()).append(": ").append(error);
            }
        }
        return out.toString();
    }
}
