package io.dataplatform.samples.continuous.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Reads what {@link BinaryOut} wrote, from a buffer's position. Not thread-safe. */
final class BinaryIn {
    private final ByteBuffer in;

    BinaryIn(ByteBuffer in) {
        this.in = in;
    }

    int readByte() {
        return in.get() & 0xFF;
    }

    long readUnsigned() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("a variable-length integer longer than 10 bytes");
    }

    long readSigned() {
        long raw = readUnsigned();
        return (raw >>> 1) ^ -(raw & 1);
    }

    String readString() {
        int length = Math.toIntExact(readUnsigned());
        if (in.hasArray()) {
            String text = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
            in.position(in.position() + length);
            return text;
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Skips a string without decoding it. */
    void skipString() {
        int length = Math.toIntExact(readUnsigned());
        in.position(in.position() + length);
    }
}
