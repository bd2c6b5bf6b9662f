package io.dataplatform.views;

import io.dataplatform.rules.StorageName;
import java.nio.charset.StandardCharsets;

/** The rules for view keys and container names (the {@link StorageName} rule), checked before any backend sees them. */
final class ViewKeys {

    /** Longest key, in UTF-8 bytes: short enough for any backend's names once escaped. */
    static final int MAX_KEY_BYTES = 512;

    private ViewKeys() {
    }

    static void checkKey(String key) {
        if (key == null) {
            throw new InvalidViewKeyException(null, "a key must not be null");
        }
        if (key.isEmpty()) {
            throw new InvalidViewKeyException(key, "a key must not be empty");
        }
        checkCharacters(key);
        if (key.startsWith("/")) {
            throw new InvalidViewKeyException(key, "a key must not start with '/' (no absolute paths)");
        }
        if (key.endsWith("/")) {
            throw new InvalidViewKeyException(key, "a key must not end with '/'");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty()) {
                throw new InvalidViewKeyException(key, "a key must not hold an empty segment ('//')");
            }
            if (segment.equals("..")) {
                throw new InvalidViewKeyException(key, "a key must not hold a '..' segment");
            }
            if (segment.equals(".")) {
                throw new InvalidViewKeyException(key, "a key must not hold a '.' segment");
            }
        }
    }

    /** A prefix for listing: any start of a valid key, or empty. */
    static void checkPrefix(String prefix) {
        if (prefix == null) {
            throw new InvalidViewKeyException("key prefix", null, "a prefix must not be null (use \"\")");
        }
        checkCharacters(prefix);
        if (prefix.startsWith("/")) {
            throw new InvalidViewKeyException(prefix, "a key must not start with '/' (no absolute paths)");
        }
    }

    /** Whether {@code name} is a valid container name. */
    static boolean isContainer(String name) {
        return StorageName.brokenRule(name, "a container name") == null;
    }

    static void checkContainer(String name) {
        String broken = StorageName.brokenRule(name, "a container name");
        if (broken != null) {
            throw new InvalidViewKeyException("container name", name, broken + " (" + StorageName.RULE + ")");
        }
    }

    private static void checkCharacters(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                throw new InvalidViewKeyException(key,
                        String.format("a key must not hold control characters (U+%04X at index %d)", (int) c, i));
            }
            if (c == '\\') {
                throw new InvalidViewKeyException(key, "a key must not hold '\\' (use '/' between segments)");
            }
            if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidViewKeyException(key, "a key must be valid Unicode (unpaired surrogate at index " + i + ")");
            }
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw new InvalidViewKeyException(key,
                    "a key must not be longer than " + MAX_KEY_BYTES + " UTF-8 bytes (it has " + bytes + ")");
        }
    }
}
