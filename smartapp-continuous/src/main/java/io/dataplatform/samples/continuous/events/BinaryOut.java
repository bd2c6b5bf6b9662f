package io.dataplatform.samples.continuous.events;

import java.util.Arrays;

/**
 * A growable byte array written front to back: variable-length integers (LEB128, signed ones
 * zig-zag encoded) and UTF-8 strings prefixed by their byte length. Reused across events:
 * {@link #reset()} keeps the array. Not thread-safe.
 */
final class BinaryOut {
    private byte[] bytes;
    private int size;

    BinaryOut(int capacity) {
        bytes = new byte[capacity];
    }

    void reset() {
        size = 0;
    }

    int size() {
        return size;
    }

    byte[] array() {
        return bytes;
    }

    void writeByte(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
    }

    void writeUnsigned(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        bytes[size++] = (byte) value;
    }

    void writeSigned(long value) {
        writeUnsigned((value << 1) ^ (value >> 63));
    }

    /** Writes the UTF-8 of {@code text} after its byte length, encoding in place (surrogate pairs as 4 bytes). */
    void writeString(String text) {
        int length = text.length();
        ensure(5 + length * 3);
        // Reserve the length prefix for the common short case, move the bytes if the guess was wrong.
        int start = size;
        int prefix = unsignedSize(length); // right for ASCII, moved when not
        int at = start + prefix;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes[at++] = (byte) c;
            } else if (c < 0x800) {
                bytes[at++] = (byte) (0xC0 | (c >> 6));
                bytes[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                bytes[at++] = (byte) (0xF0 | (cp >> 18));
                bytes[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                bytes[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                bytes[at++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                if (Character.isSurrogate(c)) {
                    c = '\uFFFD'; // an unpaired surrogate has no UTF-8 form
                }
                bytes[at++] = (byte) (0xE0 | (c >> 12));
                bytes[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                bytes[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        int utf8 = at - start - prefix;
        int needed = unsignedSize(utf8);
        if (needed != prefix) {
            System.arraycopy(bytes, start + prefix, bytes, start + needed, utf8);
        }
        size = start;
        writeUnsigned(utf8);
        size = start + needed + utf8;
    }

    private static int unsignedSize(long value) {
        int n = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            n++;
        }
        return n;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
