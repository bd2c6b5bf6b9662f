package io.dataplatform.projections;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The control signals of one runner (stop, pause, rebuild) and the wake-up that cuts the runner's
 * waits short when one of them arrives. Set from any thread; the runner's thread reads them between
 * batches and waits through {@link #sleep} and {@link #awaitAny}. Thread-safe.
 */
final class RunnerControl {

    private final Object wakeLock = new Object();
    private CompletableFuture<Void> wake = new CompletableFuture<>();
    private volatile boolean stopping;
    private volatile boolean paused;
    private volatile boolean rebuildRequested;

    void stop() {
        stopping = true;
        signal();
    }

    boolean stopping() {
        return stopping;
    }

    void paused(boolean value) {
        paused = value;
        signal();
    }

    boolean paused() {
        return paused;
    }

    void requestRebuild() {
        rebuildRequested = true;
        signal();
    }

    /** Set before the thread starts (a runner asked to rebuild first), or cleared once a reset is done. */
    void rebuildRequested(boolean value) {
        rebuildRequested = value;
    }

    boolean rebuildRequested() {
        return rebuildRequested;
    }

    /** Whether a signal waits for the loop to act on it, given the state the runner shows. */
    boolean pending(ProjectionState state) {
        return stopping || rebuildRequested || paused && state != ProjectionState.PAUSED;
    }

    /** Throws {@link RunnerFailures.Stop} when asked to stop. */
    void checkStop() {
        if (stopping) {
            throw new RunnerFailures.Stop();
        }
    }

    /** Waits up to {@code nanos}, or until a control method wakes the runner; throws {@link RunnerFailures.Stop} when stopping. */
    void sleep(long nanos) {
        CompletableFuture<Void> woken = wakeFuture();
        checkStop();
        awaitAny(woken, woken, nanos);
        checkStop();
    }

    /** The future the next signal completes; take it before checking the flags, so no signal is missed. */
    CompletableFuture<Void> wakeFuture() {
        synchronized (wakeLock) {
            return wake;
        }
    }

    private void signal() {
        CompletableFuture<Void> woken;
        synchronized (wakeLock) {
            woken = wake;
            wake = new CompletableFuture<>();
        }
        woken.complete(null);
    }

    /** Waits until {@code a} or {@code b} completes, or {@code nanos} pass; an interrupt stops the runner. */
    static void awaitAny(CompletableFuture<?> a, CompletableFuture<?> b, long nanos) {
        try {
            CompletableFuture.anyOf(a, b).get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // woken by time, or the wait failed: the next read tells
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunnerFailures.Stop();
        }
    }
}
