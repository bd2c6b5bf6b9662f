package io.dataplatform.samples.continuous.importer;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The import's progress bar on one line: file, a bar, MB read of MB, MB/s, rows/s, ETA. On a
 * terminal it redraws in place five times a second; otherwise (output piped to a file) it prints
 * a line every five seconds. Owns one daemon thread until {@link #close}. Thread-safe.
 */
final class ProgressLine implements AutoCloseable {
    private static final int WIDTH = 24;

    private final PrintStream out;
    private final boolean terminal;
    private final ScheduledExecutorService timer;
    private volatile Source source;

    /** What the line shows: the current file's name, size, bytes read and rows read. */
    record Source(String file, long size, LongSupplier bytes, LongSupplier rows, long startNanos, long startBytes,
            long startRows) {
    }

    ProgressLine(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "import-progress");
            thread.setDaemon(true);
            return thread;
        });
        long period = terminal ? 200 : 5_000;
        timer.scheduleAtFixedRate(this::draw, period, period, TimeUnit.MILLISECONDS);
    }

    void show(String file, long size, LongSupplier bytes, LongSupplier rows) {
        source = new Source(file, size, bytes, rows, System.nanoTime(), bytes.getAsLong(), rows.getAsLong());
    }

    /** Draws the final state of the current file and ends its line. */
    synchronized void finish() {
        draw();
        if (terminal && source != null) {
            out.println();
        }
        source = null;
    }

    synchronized void draw() {
        Source s = source;
        if (s == null) {
            return;
        }
        long bytes = Math.min(s.bytes().getAsLong(), s.size());
        long rows = s.rows().getAsLong();
        double seconds = Math.max(1e-3, (System.nanoTime() - s.startNanos()) / 1e9);
        double bytesPerSecond = (bytes - s.startBytes()) / seconds;
        double rowsPerSecond = (rows - s.startRows()) / seconds;
        double fraction = s.size() == 0 ? 1 : (double) bytes / s.size();
        int filled = (int) Math.round(fraction * WIDTH);
        long eta = bytesPerSecond > 0 ? (long) ((s.size() - bytes) / bytesPerSecond) : -1;
        String line = String.format(Locale.ROOT, "%-12s %3d%% [%s%s] %,.1f/%,.1f MB %,.1f MB/s %,.0f rows/s ETA %s",
                s.file(), (int) (fraction * 100), "=".repeat(filled), " ".repeat(WIDTH - filled), bytes / 1e6,
                s.size() / 1e6, bytesPerSecond / 1e6, rowsPerSecond, eta < 0 ? "?" : eta / 60 + ":" + String.format("%02d", eta % 60));
        if (terminal) {
            out.print("\r" + line);
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
