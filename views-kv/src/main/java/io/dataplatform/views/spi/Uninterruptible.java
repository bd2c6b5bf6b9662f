package io.dataplatform.views.spi;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;

/**
 * Runs a file operation that opens a {@link java.nio.channels.FileChannel} of its own (a directory
 * fsync, a file read through {@code Files}) so that an interrupt of the calling thread cannot fail
 * it. A {@code FileChannel} is interruptible: an interrupt that arrives while a thread is in one
 * of its I/O calls, or that is pending when the call starts, closes the channel and throws
 * {@link ClosedByInterruptException}. Applications interrupt their own threads (a cancelled task,
 * a shutdown), and a view store must not fail or break because of it.
 *
 * <p>The operation runs with the thread's interrupt status cleared; if an interrupt still closes
 * its channel midway, the operation runs again from the start (so it must be one that can be
 * repeated: it opens its own channel each time and shares it with no one). The status is set again
 * afterwards if the thread was interrupted before or during the operation, so the caller still
 * sees the interrupt. Each run fails only if an interrupt arrives during it, so an operation
 * finishes as soon as it is left one run without an interrupt.
 *
 * <p>Long-lived channels shared by threads must not rely on this: an interrupt closes them for
 * every thread. Those are {@link java.io.RandomAccessFile}s instead, whose reads, writes and
 * {@code getFD().sync()} are not interruptible. Stateless; thread-safe.
 */
public final class Uninterruptible {

    /** A file operation returning a value. */
    @FunctionalInterface
    public interface IoCall<T> {
        T call() throws IOException;
    }

    /** A file operation. */
    @FunctionalInterface
    public interface IoRun {
        void run() throws IOException;
    }

    private Uninterruptible() {
    }

    /** Runs {@code operation} until an interrupt no longer cuts it short; keeps the thread's interrupt status. */
    public static <T> T call(IoCall<T> operation) throws IOException {
        boolean interrupted = Thread.interrupted(); // a pending interrupt would close the operation's channel at once
        try {
            while (true) {
                try {
                    return operation.call();
                } catch (ClosedByInterruptException e) {
                    interrupted = true;
                    Thread.interrupted(); // it closed the operation's own channel only: run it again, status cleared
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs {@code operation} until an interrupt no longer cuts it short; keeps the thread's interrupt status. */
    public static void run(IoRun operation) throws IOException {
        call(() -> {
            operation.run();
            return null;
        });
    }
}
