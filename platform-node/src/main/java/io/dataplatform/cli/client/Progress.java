package io.dataplatform.cli.client;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what a command has done and, unless quiet, prints a progress line to stderr about once a
 * second (count so far and rate over the last second) from a daemon thread. Counting is
 * thread-safe and cheap. {@link #add} also trips the stop switch once {@code stopAfter} is reached,
 * which stops a run the way Ctrl-C does.
 */
final class Progress implements AutoCloseable {

    private final String label;
    private final String unit;
    private final PrintWriter err;
    private final StopSwitch stop;
    private final long stopAfter;
    private final LongAdder done = new LongAdder();
    private final Thread printer;

    Progress(String label, String unit, PrintWriter err, boolean quiet, StopSwitch stop, long stopAfter) {
        this.label = label;
        this.unit = unit;
        this.err = err;
        this.stop = stop;
        this.stopAfter = stopAfter;
        this.printer = quiet ? null : new Thread(this::print, "dp-client-progress");
        if (printer != null) {
            printer.setDaemon(true);
            printer.start();
        }
    }

    void add(long count) {
        done.add(count);
        if (stopAfter != Long.MAX_VALUE && done.sum() >= stopAfter) {
            stop.trip();
        }
    }

    long done() {
        return done.sum();
    }

    private void print() {
        long start = System.nanoTime();
        long last = 0;
        long lastTime = start;
        while (true) {
            try {
                Thread.sleep(1000); // a clock for the progress line, not a wait for anything
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long count = done.sum();
            double rate = (count - last) * 1e9 / Math.max(1, now - lastTime);
            err.printf(Locale.ROOT, "%s: %,d %s in %.0f s, %,.0f %s/s%n", label, count, unit,
                    (now - start) / 1e9, rate, unit);
            err.flush();
            last = count;
            lastTime = now;
        }
    }

    @Override
    public void close() {
        if (printer != null) {
            printer.interrupt();
        }
    }
}
