package io.dataplatform.views.file;

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
 * Forces files and directories to stable storage, many at once: fsyncs issued from several
 * threads are merged by the file system into few device flushes, so a bulk sync of thousands of
 * small files runs several times faster than one after the other. Owns a small pool of daemon
 * threads, shared by the containers of one backend. Thread-safe.
 */
final class FileSync implements AutoCloseable {

    private static final int THREADS = 8;
    private static final int INLINE_BELOW = 16;
    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");

    /** Test seam: told of every file or directory forced, from the forcing thread. */
    @FunctionalInterface
    interface Forced {
        Forced NONE = path -> { };

        void forced(Path path);
    }

    private final ExecutorService pool;
    private final Forced listener;

    FileSync(Forced listener) {
        this.listener = listener;
        AtomicInteger count = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "views-file-sync-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Forces each existing file (data and metadata); a file deleted since it was written is skipped. */
    void forceFiles(Collection<Path> files) throws IOException {
        forceAll(files, false);
    }

    void forceDirectories(Collection<Path> directories) throws IOException {
        forceAll(directories, true);
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
        for (Future<Void> future : done) {
            try {
                future.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while syncing view files", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void force(Path path, boolean directory) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
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
