package io.dataplatform.samples.continuous.importer;

import java.util.ArrayList;
import java.util.List;

/**
 * What the import of one dump file did: rows read (bad ones included), events written, bad rows
 * and the first of their reasons, bytes read, time. Written by the importer's parsing thread,
 * read once the file is done (or from the progress line, approximately).
 */
public final class FileReport {
    static final int REASONS_KEPT = 20;

    private final String file;
    private final long size;
    private final long skippedRows;
    private final List<String> reasons = new ArrayList<>();
    volatile long rows;
    volatile long events;
    volatile long bad;
    volatile long bytes;
    /** When the parsing thread began the file; when the file had the store to itself; when its last batch was acknowledged. */
    private volatile long startNanos;
    private volatile long windowNanos;
    private volatile long durableNanos;
    volatile long parseNanos;
    volatile long parseCpuNanos;
    volatile long appendCpuNanos;
    boolean alreadyDone;

    FileReport(String file, long size, long skippedRows) {
        this.file = file;
        this.size = size;
        this.skippedRows = skippedRows;
    }

    void badRow(long row, long line, String reason) {
        bad++;
        if (reasons.size() < REASONS_KEPT) {
            reasons.add(file + " row " + row + (line > 0 ? " (line " + line + ")" : "") + ": " + reason);
        }
    }

    public String file() {
        return file;
    }

    public long size() {
        return size;
    }

    /** Rows a previous run had imported, read past without writing. */
    public long skippedRows() {
        return skippedRows;
    }

    /** Rows read in this run (after the skipped ones), bad ones included. */
    public long rows() {
        return rows;
    }

    public long events() {
        return events;
    }

    /** Bad rows of this run (the headers in the store count every run's). */
    public long bad() {
        return bad;
    }

    public long bytes() {
        return bytes;
    }

    void started(long nanos) {
        startNanos = nanos;
    }

    /** The file's last batch was acknowledged at {@code nanos}; the previous file's at {@code previousNanos} (0 if none). */
    void durable(long nanos, long previousNanos) {
        windowNanos = Math.max(startNanos, previousNanos);
        durableNanos = nanos;
    }

    /**
     * The file's time: until its last row is durable in the store, since its first byte was read
     * or, if later, since the previous file's last row was durable (the parsing of a file overlaps
     * the appends of the previous one's last batches). The files' times add up to the import's.
     * While the end is not known (the import stopped before), the time the parsing thread spent on
     * the file.
     */
    public double seconds() {
        return durableNanos > 0 ? (durableNanos - windowNanos) / 1e9 : parseNanos / 1e9;
    }

    /**
     * From the file's first byte read to its last row durable, the part overlapping the previous
     * file's last appends included; {@link #seconds} while the end is not known.
     */
    public double secondsFromFirstByte() {
        return durableNanos > 0 ? (durableNanos - startNanos) / 1e9 : seconds();
    }

    /** The parsing thread's time on the file, waits to hand batches over included. */
    public double parseSeconds() {
        return parseNanos / 1e9;
    }

    /** CPU time of the parsing thread on this file (reading, parsing, encoding). */
    public double parseCpuSeconds() {
        return parseCpuNanos / 1e9;
    }

    /** CPU time of the appending thread on this file's batches (the client's side of the requests). */
    public double appendCpuSeconds() {
        return appendCpuNanos / 1e9;
    }

    /** Whether the store already held the whole file, so that nothing was read. */
    public boolean alreadyDone() {
        return alreadyDone;
    }

    /** The first bad rows' reasons, naming file, row and line. */
    public List<String> reasons() {
        return List.copyOf(reasons);
    }
}
