package io.dataplatform.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a client command did: a one-line summary for people, the same figures by name for scripts
 * ({@code --json}), whether the run was stopped early (Ctrl-C: the figures then cover what was
 * done), and the exit code (0 ok, 1 a problem found or a check failed).
 *
 * @param values figures by name, in insertion order: numbers, strings, booleans or lists of them
 */
record CommandResult(String command, String summary, Map<String, Object> values, boolean partial, int exitCode) {

    private static final ObjectMapper JSON = new ObjectMapper();

    CommandResult {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    static Builder of(String command) {
        return new Builder(command);
    }

    /** The summary, marked when the run stopped early. */
    String line() {
        return command + ": " + summary + (partial ? " [stopped early: partial results]" : "");
    }

    /** One JSON object: command, summary, partial, exitCode, then every figure. */
    String toJson() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("command", command);
        all.put("summary", summary);
        all.put("partial", partial);
        all.put("exitCode", exitCode);
        all.putAll(values);
        try {
            return JSON.writeValueAsString(all);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("figures of " + command + " are not JSON: " + e.getMessage(), e);
        }
    }

    /** A figure as a number (0 when absent). */
    double number(String name) {
        Object value = values.get(name);
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    /** Rounds a rate or a size to two decimals for printing and JSON. */
    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** Events (or any unit) per second over {@code nanos}. */
    static double perSecond(long count, long nanos) {
        return nanos <= 0 ? 0 : round(count * 1e9 / nanos);
    }

    /** Megabytes (10^6 bytes) per second over {@code nanos}. */
    static double megabytesPerSecond(long bytes, long nanos) {
        return nanos <= 0 ? 0 : round(bytes * 1e9 / nanos / 1e6);
    }

    static final class Builder {
        private final String command;
        private final Map<String, Object> values = new LinkedHashMap<>();
        private boolean partial;
        private int exitCode;

        private Builder(String command) {
            this.command = command;
        }

        Builder put(String name, Object value) {
            values.put(name, value);
            return this;
        }

        Builder partial(boolean value) {
            partial = value;
            return this;
        }

        Builder exitCode(int value) {
            exitCode = value;
            return this;
        }

        CommandResult summary(String summary) {
            return new CommandResult(command, summary, values, partial, exitCode);
        }
    }
}
