package io.dataplatform.store;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads shared by the writers of all stores of an engine: a fixed number, whatever the
 * number of stores. A store's writer occupies a thread only while it commits; its queue holds at
 * most one task per store with work pending, so the pool's own queue is bounded by the number of
 * stores. Thread-safe.
 */
public final class WriterPool implements Executor, AutoCloseable {

    private final ThreadPoolExecutor executor;

    public WriterPool(String name, int threads) {
        AtomicInteger counter = new AtomicInteger();
        executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, name + "-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }

    public int threads() {
        return executor.getMaximumPoolSize();
    }

    /** Lets running and queued tasks finish, then stops the threads. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
