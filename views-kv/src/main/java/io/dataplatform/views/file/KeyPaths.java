package io.dataplatform.views.file;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Maps view keys to relative file paths and back, reversibly and safely.
 *
 * <ul>
 *   <li>Each {@code /}-separated key segment becomes a path component; the last one a file
 *       named {@code <segment>.json}, the others directories.
 *   <li>A segment's UTF-8 bytes are kept if in {@code A-Z a-z 0-9 _ -}, else written {@code %XX}
 *       (so {@code .}, space, {@code ~}, {@code %}, {@code :}, unicode...). The only {@code .} in
 *       any name is thus the one before {@code json}: directories and files never collide, and
 *       no name is {@code .}, {@code ..}, hidden, or ends with a dot or space.
 *   <li>A segment whose escaped form reads as a Windows device name ({@code CON}, {@code nul},
 *       {@code COM1}...) has its first character escaped too.
 *   <li>An escaped segment longer than {@value #MAX_COMPONENT} characters is cut into pieces:
 *       the first as is, the next ones as components starting with {@code ~} (which escaped
 *       text never does) that continue the previous one.
 * </ul>
 * Keys are validated before they get here (no empty, {@code .} or {@code ..} segments).
 * Stateless and thread-safe.
 */
final class KeyPaths {

    static final String SUFFIX = ".json";
    static final int MAX_COMPONENT = 200;
    private static final String CONTINUATION = "~";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final Set<String> DEVICE_NAMES = deviceNames();

    private KeyPaths() {
    }

    /** The path components of {@code key}, relative to the views directory. */
    static List<String> components(String key) {
        List<String> components = new ArrayList<>();
        String[] segments = key.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            List<String> pieces = pieces(escape(segments[i]));
            if (i == segments.length - 1) {
                int last = pieces.size() - 1;
                pieces.set(last, pieces.get(last) + SUFFIX);
            }
            components.addAll(pieces);
        }
        return components;
    }

    /** The directory components holding every key that starts with the whole segments {@code segments}. */
    static List<String> directoryComponents(List<String> segments) {
        List<String> components = new ArrayList<>();
        for (String segment : segments) {
            components.addAll(pieces(escape(segment)));
        }
        return components;
    }

    /**
     * The key stored at these components (relative to the views directory), or null if they are
     * not exactly the path {@link #components} gives for some key (a stray file someone put there).
     */
    static String key(List<String> components) {
        if (components.isEmpty()) {
            return null;
        }
        String file = components.get(components.size() - 1);
        if (!file.endsWith(SUFFIX) || components.get(0).startsWith(CONTINUATION)) {
            return null;
        }
        StringBuilder key = new StringBuilder();
        StringBuilder segment = new StringBuilder();
        for (int i = 0; i < components.size(); i++) {
            String component = i == components.size() - 1 ? file.substring(0, file.length() - SUFFIX.length()) : components.get(i);
            if (component.startsWith(CONTINUATION)) {
                segment.append(component, 1, component.length());
            } else {
                if (i > 0) {
                    String decoded = unescape(segment.toString());
                    if (decoded == null) {
                        return null;
                    }
                    key.append(decoded).append('/');
                }
                segment.setLength(0);
                segment.append(component);
            }
        }
        String decoded = unescape(segment.toString());
        if (decoded == null) {
            return null;
        }
        String found = key.append(decoded).toString();
        // Only the canonical path of a key counts: a stray "%61.json" is not the file of key "a".
        return components(found).equals(components) ? found : null;
    }

    static String escape(String segment) {
        byte[] bytes = segment.getBytes(StandardCharsets.UTF_8);
        StringBuilder escaped = new StringBuilder(bytes.length * 3 / 2);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
                escaped.append((char) c);
            } else {
                appendEscaped(escaped, c);
            }
        }
        if (DEVICE_NAMES.contains(escaped.toString().toUpperCase(Locale.ROOT))) {
            char first = escaped.charAt(0);
            escaped.deleteCharAt(0);
            StringBuilder prefix = new StringBuilder();
            appendEscaped(prefix, first);
            escaped.insert(0, prefix);
        }
        return escaped.toString();
    }

    /** The segment {@code escaped} stands for, or null if it is not valid escaped text. */
    static String unescape(String escaped) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '%') {
                if (i + 2 >= escaped.length()) {
                    return null;
                }
                int high = Character.digit(escaped.charAt(i + 1), 16);
                int low = Character.digit(escaped.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return null;
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
                bytes.write(c);
            } else {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static List<String> pieces(String escaped) {
        List<String> pieces = new ArrayList<>();
        pieces.add(escaped.substring(0, Math.min(MAX_COMPONENT, escaped.length())));
        for (int start = MAX_COMPONENT; start < escaped.length(); start += MAX_COMPONENT) {
            pieces.add(CONTINUATION + escaped.substring(start, Math.min(start + MAX_COMPONENT, escaped.length())));
        }
        return pieces;
    }

    private static void appendEscaped(StringBuilder text, int c) {
        text.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
    }

    private static Set<String> deviceNames() {
        List<String> names = new ArrayList<>(List.of("CON", "PRN", "AUX", "NUL"));
        for (int i = 0; i <= 9; i++) {
            names.add("COM" + i);
            names.add("LPT" + i);
        }
        return Set.copyOf(names);
    }
}
