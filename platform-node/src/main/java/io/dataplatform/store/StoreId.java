package io.dataplatform.store;

import io.dataplatform.rules.StorageName;

/**
 * The name of a store: 3–48 characters of {@code a-z}, {@code 0-9} and {@code -}, starting and
 * ending with a letter or digit, with no two dashes in a row (the rule of Azure container names,
 * so that a store id is also a valid directory and container name everywhere). The rule is
 * {@link StorageName}'s, shared with view containers.
 */
public record StoreId(String value) implements Comparable<StoreId> {

    public static final int MIN_LENGTH = StorageName.MIN_LENGTH;
    public static final int MAX_LENGTH = StorageName.MAX_LENGTH;

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
        return StorageName.brokenRule(value, "a store id");
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
