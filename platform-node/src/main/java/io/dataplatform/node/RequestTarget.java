package io.dataplatform.node;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The rules for a request's raw path and query, applied before any route sees them: a path starts
 * with {@code /}; every {@code %} is followed by two hex digits; every raw byte is printable ASCII
 * (the HTTP decoder hands other bytes over as one ISO-8859-1 character each, so a raw UTF-8
 * {@code ü} would otherwise name the stream {@code Ã¼}); parameters are percent-decoded strictly,
 * refusing bytes that are not UTF-8 rather than replacing them. Splitting into segments allocates
 * nothing and uses no regular expression: the append route is the node's hottest code. Stateless.
 */
final class RequestTarget {

    /** Most segments a path may have to match a route: no route is deeper. */
    static final int MAX_SEGMENTS = 8;

    private RequestTarget() {
    }

    /** Refuses a path or query that breaks the rules above, with 400 {@code invalid_path}. */
    static void check(String path, String query) {
        if (path == null || !path.startsWith("/")) {
            throw ApiError.badRequest("invalid_path", "the request target must be a path starting with '/'");
        }
        if (brokenEscape(path) >= 0 || query != null && brokenEscape(query) >= 0) {
            throw ApiError.badRequest("invalid_path", "the path or query holds a '%' not followed by two hex digits");
        }
        refuseUnprintable(path, "path");
        if (query != null) {
            refuseUnprintable(query, "query");
        }
    }

    /**
     * Splits the raw path (which starts with '/') into segments: fills {@code starts} with where
     * each begins and returns how many there are, or -1 if there are more than {@code starts} holds
     * (no route is that deep).
     */
    static int segments(String path, int[] starts) {
        int count = 0;
        int from = 1;
        while (true) {
            if (count == starts.length) {
                return -1;
            }
            starts[count++] = from;
            int slash = path.indexOf('/', from);
            if (slash < 0) {
                return count;
            }
            from = slash + 1;
        }
    }

    /**
     * A path parameter, percent-decoded strictly: bytes that are not UTF-8 are refused, never
     * replaced (a lenient decoder would turn them into U+FFFD and, say, file an event under a
     * stream the client never named). The raw segment is printable ASCII ({@link #refuseUnprintable}).
     */
    static String decode(String segment, String name) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteBuffer bytes = ByteBuffer.allocate(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                int value = i + 2 < segment.length() ? hex(segment.charAt(i + 1), segment.charAt(i + 2)) : -1;
                if (value < 0) {
                    throw ApiError.badRequest("invalid_" + name + "_id", "the " + name
                            + " id holds a broken percent-escape at character " + i);
                }
                bytes.put((byte) value);
                i += 2;
            } else {
                bytes.put((byte) c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes.flip()).toString();
        } catch (CharacterCodingException e) {
            throw ApiError.badRequest("invalid_" + name + "_id", "the " + name + " id is not valid UTF-8 once percent-decoded");
        }
    }

    private static int hex(char high, char low) {
        int h = Character.digit(high, 16);
        int l = Character.digit(low, 16);
        return h < 0 || l < 0 ? -1 : h * 16 + l;
    }

    /**
     * Refuses a raw path or query holding a byte outside printable ASCII (0x21 to 0x7E): such
     * bytes must be percent-encoded (as UTF-8). The decoder gives each byte as the character of
     * the same value, so the detail can name the byte.
     */
    static void refuseUnprintable(String text, String part) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                throw ApiError.badRequest("invalid_path", String.format(Locale.ROOT,
                        "the %s holds the raw byte 0x%02X at character %d: bytes outside printable ASCII must be "
                                + "percent-encoded as UTF-8 (for example %%C3%%BC for \u00fc)", part, (int) c & 0xFF, i));
            }
        }
    }

    /** Index of the first '%' not followed by two hex digits, or -1. */
    static int brokenEscape(String text) {
        for (int i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i + 1)) {
            if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0 || Character.digit(text.charAt(i + 2), 16) < 0) {
                return i;
            }
        }
        return -1;
    }
}
