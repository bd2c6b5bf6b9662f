package io.dataplatform.store.file;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CommitWaiters;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.log.CommitWaitSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Wakes the commit waits of direct file readers whose store another process writes: watches each
 * waited-on store directory for changes to its {@code commit.chk} and, on each, reads the pointer
 * once and wakes the store's {@link CommitWaiters}. Uses the platform's file-system notification
 * where the JDK has a native one (inotify on Linux), with a safety-net poll of the pointers that
 * have waiters every {@link #SAFETY_NET_POLL} (for missed or unsupported notifications: network
 * file systems, a queue overflow); without native notification it polls every
 * {@link #FALLBACK_POLL}.
 *
 * <p>One per process ({@link #shared()}): one thread ({@code dp-commit-watch}, a daemon started
 * on first use) and one notification handle for every reader, whatever their number; a directory
 * is watched while a reader that has waited on it is open, and nothing is held per waiter.
 * Thread-safe.
 */
final class CommitPointerWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(CommitPointerWatcher.class);
    static final Duration SAFETY_NET_POLL = Duration.ofMillis(100);
    static final Duration FALLBACK_POLL = Duration.ofMillis(10);

    private static final CommitPointerWatcher SHARED = new CommitPointerWatcher(true, SAFETY_NET_POLL, FALLBACK_POLL);

    private final WatchService service;
    private final long pollNanos;
    /** Watched store directories by path; guarded by {@code this}. */
    private final Map<Path, Watched> watched = new HashMap<>();
    private final Map<WatchKey, Watched> byKey = new HashMap<>();
    private Thread thread;

    /** One store directory that open readers have waited on. Fields other than {@code waiters} guarded by the watcher. */
    private static final class Watched {
        final StoreId store;
        final Path directory;
        final Path pointerFile;
        final CommitWaiters waiters;
        WatchKey key;
        int readers;

        Watched(StoreId store, Path directory) {
            this.store = store;
            this.directory = directory;
            this.pointerFile = directory.resolve(CommitPointerFile.NAME);
            this.waiters = new CommitWaiters(store);
        }
    }

    /**
     * @param notify       use the platform's native notification if it has one
     * @param safetyNet    how often pointers with waiters are read anyway when notification works
     * @param fallback     how often they are read when it does not
     */
    CommitPointerWatcher(boolean notify, Duration safetyNet, Duration fallback) {
        WatchService created = notify ? nativeWatchService() : null;
        this.service = created;
        this.pollNanos = (created != null ? safetyNet : fallback).toNanos();
    }

    /** The process's watcher. */
    static CommitPointerWatcher shared() {
        return SHARED;
    }

    /** True if this watcher is told of changes by the file system, not only by polling. */
    boolean notified() {
        return service != null;
    }

    private static WatchService nativeWatchService() {
        try {
            WatchService service = FileSystems.getDefault().newWatchService();
            // the JDK's portable fallback scans every few seconds with a thread of its own: worse than our poll
            if (service.getClass().getName().contains("Polling")) {
                service.close();
                return null;
            }
            return service;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("no file-system notification here ({}); commit waits of direct readers poll", e.toString());
            return null;
        }
    }

    /** The wait source of one reader: joins the directory's waiters on its first wait, leaves on release. */
    CommitWaitSource source(StoreId store, Path directory) {
        Path key = directory.toAbsolutePath().normalize();
        return new CommitWaitSource() {
            private Watched joined;
            private boolean released;

            @Override
            public CommitWaiters waiters() {
                synchronized (CommitPointerWatcher.this) {
                    if (released) {
                        throw new IllegalStateException("the reader of store '" + store + "' is closed");
                    }
                    if (joined == null) {
                        joined = acquire(store, key);
                    }
                    return joined.waiters;
                }
            }

            @Override
            public void release() {
                synchronized (CommitPointerWatcher.this) {
                    if (!released && joined != null) {
                        CommitPointerWatcher.this.release(joined);
                    }
                    released = true;
                }
            }
        };
    }

    private synchronized Watched acquire(StoreId store, Path directory) {
        Watched entry = watched.computeIfAbsent(directory, d -> new Watched(store, d));
        entry.readers++;
        if (entry.key == null) {
            register(entry);
        }
        if (thread == null) {
            thread = new Thread(this::run, "dp-commit-watch");
            thread.setDaemon(true);
            thread.start();
        }
        notifyAll();
        return entry;
    }

    private synchronized void release(Watched entry) {
        if (--entry.readers == 0) {
            watched.remove(entry.directory);
            if (entry.key != null) {
                byKey.remove(entry.key);
                entry.key.cancel();
                entry.key = null;
            }
        }
    }

    /** Starts watching the directory (guarded by this); a directory that is missing is tried again at the next poll. */
    private void register(Watched entry) {
        if (service == null) {
            return;
        }
        try {
            entry.key = entry.directory.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
            byKey.put(entry.key, entry);
        } catch (IOException | ClosedWatchServiceException e) {
            LOG.debug("cannot watch {} yet: {}", entry.directory, e.toString());
        }
    }

    private void run() {
        long lastPoll = System.nanoTime();
        while (true) {
            try {
                synchronized (this) {
                    while (watched.isEmpty()) {
                        wait();
                    }
                }
                long untilPoll = pollNanos - (System.nanoTime() - lastPoll);
                if (service != null) {
                    WatchKey key = service.poll(Math.max(0, untilPoll), TimeUnit.NANOSECONDS);
                    while (key != null) {
                        changed(key);
                        key = service.poll();
                    }
                } else if (untilPoll > 0) {
                    TimeUnit.NANOSECONDS.sleep(untilPoll); // the poll interval itself: there is nothing to wait on
                }
                if (System.nanoTime() - lastPoll >= pollNanos) {
                    lastPoll = System.nanoTime();
                    for (Watched entry : waitedOn()) {
                        refresh(entry);
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("commit pointer watcher: {}", e.toString(), e);
            }
        }
    }

    /** The directories that have waiters now; registers again those whose watch was lost. */
    private synchronized List<Watched> waitedOn() {
        List<Watched> list = new ArrayList<>();
        for (Watched entry : watched.values()) {
            if (entry.waiters.size() > 0) {
                if (entry.key == null) {
                    register(entry);
                }
                list.add(entry);
            }
        }
        return list;
    }

    private void changed(WatchKey key) {
        boolean pointerChanged = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW
                    || CommitPointerFile.NAME.equals(String.valueOf(event.context()))) {
                pointerChanged = true;
            }
        }
        Watched entry;
        synchronized (this) {
            entry = byKey.get(key);
            if (!key.reset() && entry != null) {
                // the directory is gone (the store deleted): watch it again once it is back
                byKey.remove(key);
                entry.key = null;
            }
        }
        if (entry != null && pointerChanged) {
            refresh(entry);
        }
    }

    /** Reads the pointer file and wakes the waiters it moves past; a missing or damaged file wakes none. */
    private static void refresh(Watched entry) {
        if (entry.waiters.size() == 0) {
            return;
        }
        try {
            Optional<CommitPointer> pointer = CommitPointerFile.read(entry.pointerFile);
            pointer.ifPresent(entry.waiters::advanced);
        } catch (IOException e) {
            LOG.debug("cannot read {}: {}", entry.pointerFile, e.toString());
        }
    }

    /** Directories watched now (for tests: released readers leave nothing behind). */
    synchronized int watchedDirectories() {
        return watched.size();
    }
}
