package io.dataplatform.store;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadFactory;

/**
 * The one thread per process on which commit waits time out and complete: a daemon
 * {@link ScheduledThreadPoolExecutor} of one thread, started on first use, whose cancelled timers
 * leave its queue at once (a wait that ends early leaves nothing behind). Writers and watchers hand
 * wake-ups to it, so that a dependent stage a reader attaches to its future never runs on an
 * engine's writer thread. Thread-safe; never shut down (the thread is a daemon and idles).
 */
public final class CommitWaitScheduler {

    private static final ScheduledThreadPoolExecutor SHARED = create();

    private CommitWaitScheduler() {
    }

    /** The process's commit-wait thread (kept inside this package: nobody outside may shut it down). */
    static ScheduledThreadPoolExecutor shared() {
        return SHARED;
    }

    /** Runs {@code task} on the commit-wait thread after {@code delayNanos}; cancel the result to withdraw it. */
    public static ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return SHARED.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    private static ScheduledThreadPoolExecutor create() {
        ThreadFactory daemon = task -> {
            Thread thread = new Thread(task, "dp-commit-wait");
            thread.setDaemon(true);
            return thread;
        };
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, daemon);
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }
}
