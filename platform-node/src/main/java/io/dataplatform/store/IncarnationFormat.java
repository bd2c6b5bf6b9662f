package io.dataplatform.store;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The content of a store's {@code incarnation} (docs/storage-format.md, "Incarnation"), whatever
 * holds it (a file, a blob): 32 lowercase hexadecimal characters, a random 128-bit value, and a
 * line feed; 33 bytes. Stateless and thread-safe.
 */
public final class IncarnationFormat {

    /** The name of the incarnation in a store: {@code <store>/incarnation}. */
    public static final String NAME = "incarnation";
    public static final int HEX_LENGTH = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private IncarnationFormat() {
    }

    /** A fresh random incarnation id. */
    public static String newId() {
        byte[] bytes = new byte[HEX_LENGTH / 2];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** True if {@code id} is 32 lowercase hexadecimal characters. */
    public static boolean isValid(String id) {
        if (id == null || id.length() != HEX_LENGTH) {
            return false;
        }
        for (int i = 0; i < HEX_LENGTH; i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The bytes stored for {@code id}: the id and a line feed. */
    public static byte[] encode(String id) {
        return (id + "\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The id that {@code content} holds, or null if it does not hold exactly an id and a line feed. */
    public static String decode(byte[] content) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        String id = text.length() == HEX_LENGTH + 1 && text.charAt(HEX_LENGTH) == '\n' ? text.substring(0, HEX_LENGTH) : null;
        return isValid(id) ? id : null;
    }
}
