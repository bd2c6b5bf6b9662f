package io.dataplatform.projections;

import java.util.Locale;

/** The type of a configuration value: how its string form is checked and read. */
public enum ConfigType {
    STRING, INT, LONG, DOUBLE, BOOLEAN,
    /** A string that is never shown back (in REST answers it reads {@code "[hidden]"}). */
    PASSWORD;

    /** Null if {@code value} has this type, else why not. */
    String check(String value) {
        try {
            switch (this) {
                case INT -> Integer.parseInt(value.trim());
                case LONG -> Long.parseLong(value.trim());
                case DOUBLE -> Double.parseDouble(value.trim());
                case BOOLEAN -> {
                    String v = value.trim().toLowerCase(Locale.ROOT);
                    if (!v.equals("true") && !v.equals("false")) {
                        return "'" + value + "' is not a boolean (true or false)";
                    }
                }
                default -> {
                }
            }
            return null;
        } catch (NumberFormatException e) {
            return "'" + value + "' is not " + (this == INT ? "an int" : "a " + name().toLowerCase(Locale.ROOT));
        }
    }
}
