package io.dataplatform.cli.client;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells the loops of a command to stop: tripped by Ctrl-C (a JVM shutdown hook, which then waits
 * for the command to print its partial results) or by the command itself. Thread-safe.
 */
final class StopSwitch implements AutoCloseable {

    /** How long a Ctrl-C waits for the partial results to be printed before the JVM exits anyway. */
    private static final long FINISH_SECONDS = 15;

    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Thread hook;

    /** A switch tripped only by {@link #trip()}. */
    static StopSwitch manual() {
        return new StopSwitch();
    }

    /** A switch that Ctrl-C (SIGINT, SIGTERM) trips; {@link #close()} removes the hook. */
    static StopSwitch onShutdown() {
        StopSwitch stop = new StopSwitch();
        Thread hook = new Thread(() -> {
            stop.trip();
            try {
                stop.finished.await(FINISH_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "dp-client-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        stop.hook = hook;
        return stop;
    }

    void trip() {
        stopping.set(true);
    }

    boolean stopping() {
        return stopping.get();
    }

    /** Marks the command finished (its results printed) and removes the shutdown hook, if any. */
    @Override
    public void close() {
        finished.countDown();
        Thread installed = hook;
        if (installed != null) {
            hook = null;
            try {
                Runtime.getRuntime().removeShutdownHook(installed);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down (Ctrl-C): the hook runs and returns at once
            }
        }
    }
}
