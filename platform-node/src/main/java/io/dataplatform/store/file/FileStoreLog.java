package io.dataplatform.store.file;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CorruptLogException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.log.StoreLog;

import java.io.IOException;
import java.io.SyncFailedException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The file backend's {@link StoreLog}, {@code <store>/chunks/*.dat} and {@code <store>/commit.chk}:
 * appends encoded records at the end of the last chunk, rolls chunks, syncs, advances the commit
 * pointer, and rolls back a commit that failed half-way. Opening it recovers the store (see
 * {@link LogRecovery}). File handles are opened on demand and may be released while the store
 * is idle.
 *
 * <p>Not thread-safe: only the store's writer uses it, under the store's lock.
 */
final class FileStoreLog implements StoreLog {

    private final StoreId store;
    private final Path directory;
    private final ChunkFiles chunks;
    private final long chunkSize;
    private CommitPointer committed;
    private final String incarnation;
    private long end;
    private FileChannel last;
    private CommitPointerFile pointerFile;
    /** Chunks rolled over during the commit in progress, not yet synced. */
    private final List<FileChannel> rolled = new ArrayList<>();
    /** Starts of the chunks created by the commit in progress. */
    private final List<Long> created = new ArrayList<>();
    private boolean directoryDirty;
    private final BackgroundFlusher backgroundFlusher = new BackgroundFlusher();
    /** True once the commit in progress has written the pointer file (which then may point past a rollback). */
    private boolean pointerWritten;
    /** Position up to which the last chunk's file already exists (zeros past {@link #end}). */
    private long preallocatedEnd;
    /** Commits since the file handles were opened: only busy stores preallocate. */
    private int commitsSinceOpen;
    /** Moving average of the bytes a commit adds (weight 1/8 for the newest): only stores of small commits preallocate. */
    private long averageCommitBytes;

    /** Bytes of zeros written ahead of a busy store's log, so that syncs do not change the file size. */
    static final int PREALLOCATION = 8 * 1024 * 1024;
    private static final int BUSY_COMMITS = 64;
    /**
     * Commits larger than this on average make no zeros ahead: the file-size update a sync then
     * makes is small next to the data it syncs, while zeros would double the bytes written.
     */
    static final int SMALL_COMMIT = 64 * 1024;

    private final boolean durable;
    private final FileOpener opener;

    private FileStoreLog(StoreId store, Path directory, ChunkFiles chunks, long chunkSize, CommitPointer committed,
                     String incarnation, boolean durable, FileOpener opener) {
        this.incarnation = incarnation;
        this.durable = durable;
        this.opener = opener;
        this.store = store;
        this.directory = directory;
        this.chunks = chunks;
        this.chunkSize = chunkSize;
        this.committed = committed;
        this.end = committed.position();
    }

    /** Opens a store's log, recovering it, or creates an empty store if {@code create} is set. */
    static FileStoreLog open(StoreId store, Path directory, long chunkSize, boolean create, boolean durable)
            throws IOException {
        return open(store, directory, chunkSize, create, durable, FileOpener.DEFAULT);
    }

    /** {@link #open(StoreId, Path, long, boolean, boolean)} with every file opened through {@code opener}. */
    static FileStoreLog open(StoreId store, Path directory, long chunkSize, boolean create, boolean durable,
                         FileOpener opener) throws IOException {
        Path pointerPath = directory.resolve(CommitPointerFile.NAME);
        ChunkFiles chunks = new ChunkFiles(store.value(), directory);
        if (!Files.exists(pointerPath) && !Files.isDirectory(chunks.directory())) {
            if (!create) {
                throw new StoreNotFoundException(store.value());
            }
            createStore(directory, chunks, pointerPath, durable, opener);
        }
        // read before recovery changes anything: a damaged incarnation refuses the store as it is
        String incarnation = IncarnationFile.read(store.value(), directory, opener);
        CommitPointer recovered = new LogRecovery(store, directory, chunks.refresh(), opener).recover();
        // a store written before incarnations existed (or whose creation stopped short) gets one now
        if (incarnation == null) {
            incarnation = IncarnationFile.create(directory, durable, true, opener);
        }
        return new FileStoreLog(store, directory, chunks, chunkSize, recovered, incarnation, durable, opener);
    }

    /**
     * Creates an empty store: the chunk directory and first chunk, the incarnation, and last the
     * commit pointer file, so a store with one is complete.
     */
    private static void createStore(Path directory, ChunkFiles chunks, Path pointerPath, boolean durable,
                                    FileOpener opener) throws IOException {
        Files.createDirectories(chunks.directory());
        try (FileChannel first = opener.open(chunks.path(0), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (durable) {
                first.force(true);
            }
        }
        if (durable) {
            syncDirectory(opener, chunks.directory());
        }
        // the directory is synced once both files are in place: a crash before leaves no commit
        // pointer, and an incarnation then missing is simply created when the store is opened
        IncarnationFile.create(directory, durable, false, opener);
        CommitPointerFile.create(pointerPath, CommitPointer.EMPTY, durable, opener);
        if (durable) {
            syncDirectory(opener, directory);
            syncDirectory(opener, directory.getParent());
        }
    }

    static void syncDirectory(FileOpener opener, Path directory) throws IOException {
        try (FileChannel dir = opener.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (SyncFailedException e) {
            throw e;
        } catch (IOException e) {
            throw syncFailed("directory " + directory, e);
        }
    }

    @Override
    public CommitPointer committed() {
        return committed;
    }

    /** The store's incarnation id (32 lowercase hex characters). */
    @Override
    public String incarnation() {
        return incarnation;
    }

    /** Where the next record goes. */
    @Override
    public long end() {
        return end;
    }

    /** Bytes already in the last chunk if {@code pending} more bytes were written to it. */
    @Override
    public long chunkFill(long pending) {
        return end + pending - chunks.lastStart();
    }

    @Override
    public long chunkSize() {
        return chunkSize;
    }

    @Override
    public int chunkCount() {
        return chunks.count();
    }

    ChunkFiles chunks() {
        return chunks;
    }

    @Override
    public long storedBytes() {
        return chunks.totalBytes();
    }

    /** True if the commit in progress created a chunk. */
    @Override
    public boolean rolledInCommit() {
        return !created.isEmpty();
    }

    /** Writes {@code records} at the end of the last chunk. */
    @Override
    public void write(ByteBuffer records) throws IOException {
        FileChannel file = lastChunk();
        long offset = end - chunks.lastStart();
        int bytes = records.remaining();
        while (records.hasRemaining()) {
            int n = file.write(records, offset);
            offset += n;
            end += n;
        }
        if (durable) {
            List<FileChannel> written = new ArrayList<>(rolled);
            written.add(file);
            backgroundFlusher.written(bytes, written);
        }
    }

    /** Waits for a background sync; a failed one counts as a failed sync of this commit. */
    private void awaitBackgroundFlush() throws IOException {
        IOException failed = backgroundFlusher.await();
        if (failed != null) {
            throw syncFailed("the chunks of store '" + store + "' (in the background)", failed);
        }
    }

    /** Starts a new chunk at the end of the log. */
    @Override
    public void roll() throws IOException {
        FileChannel previous = lastChunk();
        cutPreallocation(previous);
        rolled.add(previous);
        last = null;
        Path path = chunks.path(end);
        last = opener.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
        chunks.added(end);
        created.add(end);
        directoryDirty = true;
    }

    /**
     * Makes every byte written so far durable, and the chunk files created for them.
     *
     * @throws SyncFailedException if the operating system could not sync: what it holds in its page
     *                             cache may no longer match the disk
     */
    @Override
    public void sync() throws IOException {
        awaitBackgroundFlush();
        try {
            for (FileChannel chunk : rolled) {
                chunk.force(false);
            }
            if (last != null) {
                last.force(false);
            }
            if (directoryDirty) {
                syncDirectory(opener, chunks.directory());
                directoryDirty = false;
            }
        } catch (IOException e) {
            throw syncFailed("the chunks of store '" + store + "'", e);
        }
    }

    static SyncFailedException syncFailed(String what, IOException cause) {
        if (cause instanceof SyncFailedException already) {
            return already;
        }
        SyncFailedException failed = new SyncFailedException("cannot sync " + what + ": " + cause.getMessage());
        failed.initCause(cause);
        return failed;
    }

    /**
     * Advances the commit pointer to the end of the log (written, not synced: see
     * {@link #syncPointer}), and ends the commit in progress.
     */
    @Override
    public CommitPointer commit(long version) throws IOException {
        CommitPointer pointer = new CommitPointer(end, version);
        long added = end - committed.position();
        averageCommitBytes += (added - averageCommitBytes) / 8;
        CommitPointerFile file = pointerFile();
        pointerWritten = true;
        file.write(pointer);
        committed = pointer;
        endCommit();
        commitsSinceOpen++;
        return pointer;
    }

    /**
     * For a busy, durable store of small commits: makes sure zeros lie ahead of the log's end in
     * the last chunk. Overwriting existing bytes lets fdatasync skip the file-size update (a
     * journal commit on ext4), which roughly halves the cost of each small durable commit; for
     * large commits ({@link #SMALL_COMMIT}) that update costs little next to the data synced, and
     * writing zeros first would double the bytes written, so they get none. The zeros never count as
     * records: readers stop at the commit pointer, recovery stops at a zero length and cuts them
     * off, a chunk is cut to its exact length when the log rolls over it, and the last chunk when
     * its handles are released.
     */
    @Override
    public void preallocate() throws IOException {
        if (!durable || commitsSinceOpen < BUSY_COMMITS || averageCommitBytes > SMALL_COMMIT
                || preallocatedEnd - end > PREALLOCATION / 8) {
            return;
        }
        long lastStart = chunks.lastStart();
        long limit = lastStart + chunkSize;
        long from = Math.max(end, preallocatedEnd);
        long to = Math.min(limit, from + PREALLOCATION);
        if (to <= from) {
            return;
        }
        FileChannel file = lastChunk();
        ByteBuffer zeros = ByteBuffer.allocateDirect(64 * 1024);
        for (long at = from; at < to; at += zeros.capacity()) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - at));
            long offset = at - lastStart;
            while (zeros.hasRemaining()) {
                offset += file.write(zeros, offset);
                // zeros written so far are cut on roll or release even if this fails half-way
                preallocatedEnd = Math.max(preallocatedEnd, lastStart + offset);
            }
        }
        try {
            file.force(false);
        } catch (IOException e) {
            throw syncFailed("the zeros ahead of store '" + store + "'", e);
        }
        preallocatedEnd = to;
    }

    /** Cuts a chunk's file back to the log's end, dropping preallocated zeros. */
    private void cutPreallocation(FileChannel chunk) throws IOException {
        if (preallocatedEnd > end) {
            chunk.truncate(end - chunks.lastStart());
        }
        preallocatedEnd = end;
    }

    /** Syncs the commit pointer file if it was written since its last sync. */
    @Override
    public void syncPointer() throws IOException {
        if (pointerFile != null) {
            pointerFile.sync();
        }
    }

    /**
     * Undoes everything written since the last commit: new chunks deleted, the last chunk cut back,
     * and the commit pointer file put back to the last commit if the failed one had written it. If
     * the pointer cannot be put back, the records it points to are kept (they are whole and
     * verified), so that the log and the pointer on disk always agree.
     */
    @Override
    public void rollback() throws IOException {
        // no background sync may run on a channel about to be closed; its failure still counts
        IOException background = backgroundFlusher.await();
        for (FileChannel chunk : rolled) {
            chunk.close();
        }
        if (last != null) {
            last.close();
            last = null;
        }
        SyncFailedException unsynced = null;
        if (pointerWritten) {
            pointerFile.abandon();
            pointerFile = null;
            try {
                unsynced = restorePointer();
            } catch (IOException e) {
                endCommit();
                throw e;
            }
        }
        for (long start : created) {
            Files.deleteIfExists(chunks.path(start));
            chunks.removed(start);
        }
        boolean deleted = !created.isEmpty();
        endCommit();
        long lastStart = chunks.lastStart();
        try (FileChannel chunk = opener.open(chunks.path(lastStart), StandardOpenOption.WRITE)) {
            chunk.truncate(committed.position() - lastStart);
            // the file ends at the pointer now, whatever its sync below does
            preallocatedEnd = committed.position();
            end = committed.position();
            if (durable) {
                // the failed commit's records must not come back after a crash
                try {
                    chunk.force(true);
                } catch (IOException e) {
                    throw syncFailed("the last chunk of store '" + store + "' after a rollback", e);
                }
            }
        }
        if (deleted) {
            syncDirectory(opener, chunks.directory());
        }
        if (unsynced != null) {
            throw unsynced;
        }
        if (background != null) {
            throw syncFailed("the chunks of store '" + store + "' (in the background)", background);
        }
    }

    /**
     * Writes the last good pointer back. If syncs fail it is written unsynced, and the sync failure
     * returned (the store then refuses writes anyway); null if it was synced.
     */
    private SyncFailedException restorePointer() throws IOException {
        Path path = directory.resolve(CommitPointerFile.NAME);
        try {
            CommitPointerFile.create(path, committed, durable, opener);
            syncDirectory(opener, directory);
            return null;
        } catch (SyncFailedException e) {
            CommitPointerFile.create(path, committed, false, opener);
            return e;
        }
    }

    private void endCommit() throws IOException {
        awaitBackgroundFlush();
        for (FileChannel chunk : rolled) {
            chunk.close();
        }
        rolled.clear();
        created.clear();
        pointerWritten = false;
    }

    /** True while file handles are open. */
    @Override
    public boolean holdsHandles() {
        return last != null || pointerFile != null;
    }

    /** Closes the file handles (syncing the commit pointer first); they reopen on the next write. */
    @Override
    public void releaseHandles() throws IOException {
        commitsSinceOpen = 0;
        IOException failure = null;
        try {
            if (last != null && preallocatedEnd > end) {
                cutPreallocation(last);
                try {
                    last.force(false);
                } catch (IOException e) {
                    throw syncFailed("the last chunk of store '" + store + "'", e);
                }
            }
        } catch (IOException e) {
            failure = e;
        }
        // the pointer file is closed (and synced) whatever happened to the chunk
        try {
            if (pointerFile != null) {
                pointerFile.close();
            }
        } catch (IOException e) {
            failure = failure == null ? e : failure;
        } finally {
            pointerFile = null;
            if (last != null) {
                last.close();
                last = null;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private FileChannel lastChunk() throws IOException {
        if (last == null) {
            long start = chunks.lastStart();
            if (start < 0) {
                throw new CorruptLogException(store.value(), "(none)", end, "the store has no chunk file");
            }
            last = opener.open(chunks.path(start), StandardOpenOption.WRITE, StandardOpenOption.READ);
        }
        return last;
    }

    private CommitPointerFile pointerFile() throws IOException {
        if (pointerFile == null) {
            pointerFile = CommitPointerFile.openForWrite(directory.resolve(CommitPointerFile.NAME), durable, opener);
        }
        return pointerFile;
    }

    @Override
    public void close() throws IOException {
        releaseHandles();
    }
}
