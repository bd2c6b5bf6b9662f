package io.dataplatform.store.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts the disk early on large commits: while a writer goes on encoding an import of gigabytes,
 * one daemon thread per process syncs what it has written so far, so that the final sync finds
 * little left to do and the CPU work and the disk work overlap (otherwise the page cache holds
 * everything until the commit's one sync). A failure is kept and reported by the commit's own
 * sync: after a failed sync the kernel may have dropped pages, so it must never pass silently.
 * Thread-safe.
 */
final class BackgroundFlusher {

    /** Bytes a commit writes before the writer asks for a background sync. */
    static final long INTERVAL_BYTES = 32L * 1024 * 1024;

    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "dp-background-flusher");
        thread.setDaemon(true);
        return thread;
    });

    private CompletableFuture<Void> running = CompletableFuture.completedFuture(null);
    private volatile IOException failure;
    private long unflushed;

    /** Counts {@code bytes} just written; starts a sync of {@code channels} once enough piled up. */
    void written(long bytes, List<FileChannel> channels) {
        unflushed += bytes;
        if (unflushed < INTERVAL_BYTES || !running.isDone()) {
            return;
        }
        unflushed = 0;
        List<FileChannel> toSync = List.copyOf(channels);
        running = CompletableFuture.runAsync(() -> {
            for (FileChannel channel : toSync) {
                try {
                    channel.force(false);
                } catch (IOException e) {
                    failure = e;
                }
            }
        }, THREAD);
    }

    /** Waits for the sync in progress; returns its failure (once), or null. */
    IOException await() {
        running.join();
        unflushed = 0;
        IOException failed = failure;
        failure = null;
        return failed;
    }
}
