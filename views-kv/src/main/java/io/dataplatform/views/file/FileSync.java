package io.dataplatform.views.file;

import io.dataplatform.views.spi.Uninterruptible;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Forces files and directories to stable storage, many at once. A bulk sync of many files (by
 * default 10,000 or more) syncs the whole file system holding them with one {@code syncfs}
 * ({@link FileSystemSync}) where that is available and covers them; otherwise, and for fewer files,
 * each is fsynced, from several threads, which the file system merges into few device flushes.
 * Owns a small pool of daemon threads, shared by the containers of one backend. Thread-safe.
 *
 * <p>Interrupts of the calling thread do not fail a sync: each fsync opens a channel of its own
 * through {@link Uninterruptible}, and waiting for the pool's fsyncs goes on through an interrupt
 * (they take milliseconds, and what was written is not durable before they end). The caller's
 * interrupt status is kept.
 */
final class FileSync implements AutoCloseable {

    private static final int THREADS = 8;
    private static final int INLINE_BELOW = 16;
    /**
     * From this many files and directories on, a bulk sync syncs the file system instead, where it
     * can. High enough that a container rewriting the same views (a thousand or so files per bulk
     * sync, which can come twice a second) keeps its own fsyncs and does not flush every other
     * writer's data on the file system each time; low enough to catch the bulk syncs of new views
     * (tens of thousands of files, where fsyncs cost seconds).
     */
    static final int FILE_SYSTEM_SYNC_FROM = 10_000;
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");

    /** Test seam: told of every file or directory forced, and of every file system synced, from the syncing thread. */
    @FunctionalInterface
    interface Forced {
        Forced NONE = path -> { };

        void forced(Path path);

        /** Everything on the file system holding {@code dir} is durable now. */
        default void fileSystemSynced(Path dir) {
        }
    }

    private final ExecutorService pool;
    private final Forced listener;
    private final int fileSystemSyncFrom;

    FileSync(Forced listener) {
        this(listener, FILE_SYSTEM_SYNC_FROM);
    }

    /** {@code fileSystemSyncFrom}: how many paths a bulk sync needs to sync the file system instead (test seam). */
    FileSync(Forced listener, int fileSystemSyncFrom) {
        this.listener = listener;
        this.fileSystemSyncFrom = fileSystemSyncFrom;
        AtomicInteger count = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "views-file-sync-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Makes {@code files} (written, replaced or deleted) and {@code directories} (the directories
     * whose entries changed with them, up to {@code containerDir}) durable: with one sync of the
     * file system holding {@code containerDir} when there are many and it covers them all, else by
     * forcing each existing file, then each directory.
     */
    void forceWritten(Path containerDir, Collection<Path> files, Collection<Path> directories) throws IOException {
        if (files.size() + directories.size() >= fileSystemSyncFrom && FileSystemSync.available()
                && FileSystemSync.covers(containerDir, directories) && FileSystemSync.sync(containerDir)) {
            listener.fileSystemSynced(containerDir);
            return;
        }
        forceAll(files, false);
        forceAll(directories, true);
    }

    /** Whether bulk syncs can sync the file system on this machine (test seam). */
    static boolean fileSystemSyncAvailable() {
        return FileSystemSync.available();
    }

    void forceDirectory(Path directory) throws IOException {
        force(directory, true);
    }

    private void forceAll(Collection<Path> paths, boolean directories) throws IOException {
        if (paths.size() < INLINE_BELOW) {
            for (Path path : paths) {
                force(path, directories);
            }
            return;
        }
        List<Path> all = new ArrayList<>(paths);
        int slices = Math.min(THREADS, all.size());
        List<Future<Void>> done = new ArrayList<>(slices);
        for (int slice = 0; slice < slices; slice++) {
            int first = slice;
            done.add(pool.submit(() -> {
                for (int i = first; i < all.size(); i += slices) {
                    force(all.get(i), directories);
                }
                return null;
            }));
        }
        IOException failure = null;
        boolean interrupted = false;
        try {
            for (Future<Void> future : done) {
                while (true) {
                    try {
                        future.get();
                        break;
                    } catch (ExecutionException e) {
                        if (failure == null) {
                            failure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                        }
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true; // the files are durable only when every fsync ended: wait on
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void force(Path path, boolean directory) throws IOException {
        try {
            // a channel, since directories cannot be opened as streams; one of its own for each try
            Uninterruptible.run(() -> {
                try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                    channel.force(true);
                }
            });
            listener.forced(path);
        } catch (NoSuchFileException e) {
            // deleted since: its directory's sync makes the deletion durable
        } catch (IOException e) {
            if (!(directory && WINDOWS)) { // Windows cannot open directories; NTFS orders renames itself
                throw e;
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
