package io.dataplatform.rules;

/**
 * The one rule for the names of stores and view containers: 3 to 48 characters of {@code a-z},
 * {@code 0-9} and {@code -}, starting and ending with a letter or digit, with no two dashes in a
 * row. It is the rule of Azure blob container names, so that a name is also a valid directory
 * name and container name on every backend. Stateless.
 */
public final class StorageName {

    public static final int MIN_LENGTH = 3;
    public static final int MAX_LENGTH = 48;

    /** The whole rule in words, for messages. */
    public static final String RULE = MIN_LENGTH + " to " + MAX_LENGTH + " characters of a-z, 0-9 and '-', starting"
            + " and ending with a letter or digit, no two dashes in a row";

    private StorageName() {
    }

    /** True if {@code value} follows the rule. */
    public static boolean isValid(String value) {
        return brokenRule(value, "a name") == null;
    }

    /**
     * The first part of the rule {@code value} breaks, in words, or null if it follows the rule.
     *
     * @param subject how messages call such a name, e.g. {@code "a store id"}
     */
    public static String brokenRule(String value, String subject) {
        if (value == null) {
            return subject + " is required";
        }
        int n = value.length();
        if (n < MIN_LENGTH || n > MAX_LENGTH) {
            return subject + " has " + MIN_LENGTH + " to " + MAX_LENGTH + " characters, this one has " + n;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!letterOrDigit && c != '-') {
                return subject + " holds only lowercase letters a-z, digits and dashes; found '"
                        + printable(c) + "' at index " + i;
            }
            if (c == '-' && (i == 0 || i == n - 1)) {
                return subject + " starts and ends with a letter or digit";
            }
            if (c == '-' && value.charAt(i - 1) == '-') {
                return subject + " has no two dashes in a row (index " + (i - 1) + ")";
            }
        }
        return null;
    }

    private static String printable(char c) {
        return Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSurrogate(c)
                ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
