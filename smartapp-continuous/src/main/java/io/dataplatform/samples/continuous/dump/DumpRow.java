package io.dataplatform.samples.continuous.dump;

import java.util.Arrays;

/**
 * One {@code <row>} of a dump file as read: its attributes in document order, or the reason it
 * could not be read. Reused by {@link DumpFileReader} from row to row: copy what must outlive
 * the next row. Not thread-safe.
 */
public final class DumpRow {
    private String[] names = new String[32];
    private String[] values = new String[32];
    private int count;
    private long number;
    private long line;
    private String error;

    void reset(long number, long line) {
        this.count = 0;
        this.number = number;
        this.line = line;
        this.error = null;
    }

    void add(String name, String value) {
        if (count == names.length) {
            names = Arrays.copyOf(names, count * 2);
            values = Arrays.copyOf(values, count * 2);
        }
        names[count] = name;
        values[count++] = value;
    }

    void fail(String reason) {
        this.error = reason;
    }

    /** The row's number in its file, from 1, counting unreadable rows. */
    public long number() {
        return number;
    }

    /** The line the row ends on (or the line of the XML error), when the parser tells it; else -1. */
    public long line() {
        return line;
    }

    /** Why the row could not be read as XML, or null. */
    public String error() {
        return error;
    }

    public int size() {
        return count;
    }

    public String name(int index) {
        return names[index];
    }

    public String value(int index) {
        return values[index];
    }

    /** The value of attribute {@code name}, or null. */
    public String get(String name) {
        for (int i = 0; i < count; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return null;
    }
}
