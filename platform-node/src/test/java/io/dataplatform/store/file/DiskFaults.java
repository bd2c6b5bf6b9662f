package io.dataplatform.store.file;

import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.StoreEngine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A disk that fails on demand, for tests: an opener (the engine's {@link FileOpener} seam) whose
 * channels write less than asked, fail to sync, find the disk full, or return damaged bytes,
 * as switched here. Usable from any test package through {@link #openEngine}. Thread-safe.
 */
public final class DiskFaults implements FileOpener {

    private volatile boolean shortWrites;
    private volatile String failSyncsOf;
    /** How many more syncs of {@link #failSyncsOf} fail; negative for all of them. */
    private final AtomicInteger syncsToFail = new AtomicInteger(-1);
    private volatile boolean diskFull;
    private volatile boolean damageReads;
    private volatile boolean failBackgroundSyncs;
    private volatile boolean syncsFindDiskFull;
    private volatile String holdSyncsOf;
    private volatile CountDownLatch syncGate = new CountDownLatch(0);
    private final AtomicLong shortened = new AtomicLong();
    private final AtomicLong damaged = new AtomicLong();

    /** An engine over {@code root} whose every file goes through this disk. */
    public StoreEngine openEngine(Path root, EngineOptions options) {
        return new FileStorageEngine(root, options, this);
    }

    /** Writes write a random part (at least one byte) of what they are given. */
    public DiskFaults shortWrites(boolean on) {
        shortWrites = on;
        return this;
    }

    /** Syncs of files whose path contains {@code pathPart} ("" for every file) fail; null stops it. */
    public DiskFaults failSyncs(String pathPart) {
        return failSyncs(pathPart, -1);
    }

    /** The next {@code times} syncs of files whose path contains {@code pathPart} fail (negative: all). */
    public DiskFaults failSyncs(String pathPart, int times) {
        syncsToFail.set(times);
        failSyncsOf = pathPart;
        return this;
    }

    /** Syncs fail as a sync does when write-back meets a full disk (ENOSPC from fsync). */
    public DiskFaults syncsFindDiskFull(boolean on) {
        syncsFindDiskFull = on;
        return this;
    }

    /** Syncs fail when the engine's background flusher makes them (and only then). */
    public DiskFaults failBackgroundSyncs(boolean on) {
        failBackgroundSyncs = on;
        return this;
    }

    /**
     * Syncs of files whose path contains {@code pathPart} wait until {@link #releaseSyncs}: holds a
     * writer thread in the middle of a commit, so that work queues up behind it.
     */
    public DiskFaults holdSyncs(String pathPart) {
        syncGate = new CountDownLatch(1);
        holdSyncsOf = pathPart;
        return this;
    }

    public DiskFaults releaseSyncs() {
        holdSyncsOf = null;
        syncGate.countDown();
        return this;
    }

    /** Writes and file creations fail as on a full disk (ENOSPC). */
    public DiskFaults diskFull(boolean on) {
        diskFull = on;
        return this;
    }

    /** Reads of chunk files return their bytes with one bit flipped. */
    public DiskFaults damageReads(boolean on) {
        damageReads = on;
        return this;
    }

    public long shortenedWrites() {
        return shortened.get();
    }

    public long damagedReads() {
        return damaged.get();
    }

    @Override
    public FileChannel open(Path path, OpenOption... options) throws IOException {
        Set<OpenOption> asked = Set.of(options);
        if (diskFull && (asked.contains(StandardOpenOption.CREATE_NEW) || asked.contains(StandardOpenOption.CREATE))) {
            throw new FileSystemException(path.toString(), null, "No space left on device");
        }
        return new FaultyChannel(FileChannel.open(path, options), path, this);
    }

    void beforeWrite(Path path) throws IOException {
        if (diskFull) {
            throw new IOException("No space left on device");
        }
    }

    ByteBuffer shorten(ByteBuffer src) {
        if (!shortWrites || src.remaining() < 2) {
            return src;
        }
        shortened.incrementAndGet();
        int part = 1 + ThreadLocalRandom.current().nextInt(src.remaining() - 1);
        return src.duplicate().limit(src.position() + part);
    }

    void beforeSync(Path path) throws IOException {
        String held = holdSyncsOf;
        if (held != null && path.toString().contains(held)) {
            try {
                syncGate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while a sync was held", e);
            }
        }
        if (syncsFindDiskFull) {
            throw new IOException("No space left on device");
        }
        if (failBackgroundSyncs && Thread.currentThread().getName().equals("dp-background-flusher")) {
            throw new IOException("Input/output error (injected: background sync of " + path.getFileName() + ")");
        }
        String part = failSyncsOf;
        if (part != null && path.toString().contains(part) && syncsToFail.getAndUpdate(n -> n > 0 ? n - 1 : n) != 0) {
            throw new IOException("Input/output error (injected: sync of " + path.getFileName() + ")");
        }
    }

    void afterRead(Path path, ByteBuffer dst, int start, int n) {
        if (damageReads && n > 0 && path.getFileName().toString().endsWith(".dat")) {
            damaged.incrementAndGet();
            int at = start + ThreadLocalRandom.current().nextInt(n);
            dst.put(at, (byte) (dst.get(at) ^ 0x10));
        }
    }
}
