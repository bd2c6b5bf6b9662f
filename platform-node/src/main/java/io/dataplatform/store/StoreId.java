package io.dataplatform.store;

/**
 * The name of a store: 3–48 characters of {@code a-z}, {@code 0-9} and {@code -}, starting and
 * ending with a letter or digit, with no two dashes in a row (the rule of Azure container names,
 * so that a store id is also a valid directory and container name everywhere).
 */
public record StoreId(String value) implements Comparable<StoreId> {

    public static final int MIN_LENGTH = 3;
    public static final int MAX_LENGTH = 48;

    public StoreId {
        String broken = brokenRule(value);
        if (broken != null) {
            throw new InvalidStoreIdException(value, broken);
        }
    }

    public static StoreId of(String value) {
        return new StoreId(value);
    }

    /** True if {@code value} is a valid store id. */
    public static boolean isValid(String value) {
        return brokenRule(value) == null;
    }

    /** The first rule {@code value} breaks, in words, or null if it is a valid store id. */
    public static String brokenRule(String value) {
        if (value == null) {
            return "a store id is required";
        }
        int n = value.length();
        if (n < MIN_LENGTH || n > MAX_LENGTH) {
            return "a store id has " + MIN_LENGTH + " to " + MAX_LENGTH + " characters, this one has " + n;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!letterOrDigit && c != '-') {
                return "a store id holds only lowercase letters a-z, digits and dashes; found '"
                        + printable(c) + "' at index " + i;
            }
            if (c == '-' && (i == 0 || i == n - 1)) {
                return "a store id starts and ends with a letter or digit";
            }
            if (c == '-' && value.charAt(i - 1) == '-') {
                return "a store id has no two dashes in a row (index " + (i - 1) + ")";
            }
        }
        return null;
    }

    private static String printable(char c) {
        return Character.isISOControl(c) || Character.isWhitespace(c)
                ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    @Override
    public int compareTo(StoreId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
