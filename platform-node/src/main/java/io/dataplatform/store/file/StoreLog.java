package io.dataplatform.store.file;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CorruptLogException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The writing side of one store's log, {@code <store>/chunks/*.dat} and {@code <store>/commit.chk}:
 * appends encoded records at the end of the last chunk, rolls chunks, syncs, advances the commit
 * pointer, and rolls back a commit that failed half-way. Opening it recovers the store (see
 * {@link LogRecovery}). File handles are opened on demand and may be released while the store
 * is idle.
 *
 * <p>Not thread-safe: only the store's writer uses it, under the store's lock.
 */
final class StoreLog implements AutoCloseable {

    private final StoreId store;
    private final Path directory;
    private final ChunkFiles chunks;
    private final long chunkSize;
    private CommitPointer committed;
    private long end;
    private FileChannel last;
    private CommitPointerFile pointerFile;
    /** Chunks rolled over during the commit in progress, not yet synced. */
    private final List<FileChannel> rolled = new ArrayList<>();
    /** Starts of the chunks created by the commit in progress. */
    private final List<Long> created = new ArrayList<>();
    private boolean directoryDirty;
    /** Position up to which the last chunk's file already exists (zeros past {@link #end}). */
    private long preallocatedEnd;
    /** Commits since the file handles were opened: only busy stores preallocate. */
    private int commitsSinceOpen;

    /** Bytes of zeros written ahead of a busy store's log, so that syncs do not change the file size. */
    static final int PREALLOCATION = 8 * 1024 * 1024;
    private static final int BUSY_COMMITS = 64;

    private final boolean durable;

    private StoreLog(StoreId store, Path directory, ChunkFiles chunks, long chunkSize, CommitPointer committed,
                     boolean durable) {
        this.durable = durable;
        this.store = store;
        this.directory = directory;
        this.chunks = chunks;
        this.chunkSize = chunkSize;
        this.committed = committed;
        this.end = committed.position();
    }

    /** Opens a store's log, recovering it, or creates an empty store if {@code create} is set. */
    static StoreLog open(StoreId store, Path directory, long chunkSize, boolean create, boolean durable)
            throws IOException {
        Path pointerPath = directory.resolve(CommitPointerFile.NAME);
        ChunkFiles chunks = new ChunkFiles(store.value(), directory);
        if (!Files.exists(pointerPath) && !Files.isDirectory(chunks.directory())) {
            if (!create) {
                throw new StoreNotFoundException(store.value());
            }
            createStore(directory, chunks, pointerPath, durable);
        }
        CommitPointer recovered = new LogRecovery(store, directory, chunks.refresh()).recover();
        return new StoreLog(store, directory, chunks, chunkSize, recovered, durable);
    }

    /** Creates an empty store; the commit pointer file comes last, so a store with one is complete. */
    private static void createStore(Path directory, ChunkFiles chunks, Path pointerPath, boolean durable)
            throws IOException {
        Files.createDirectories(chunks.directory());
        try (FileChannel first = FileChannel.open(chunks.path(0), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (durable) {
                first.force(true);
            }
        }
        if (durable) {
            syncDirectory(chunks.directory());
        }
        CommitPointerFile.create(pointerPath, CommitPointer.EMPTY, durable);
        if (durable) {
            syncDirectory(directory);
            syncDirectory(directory.getParent());
        }
    }

    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    CommitPointer committed() {
        return committed;
    }

    /** Where the next record goes. */
    long end() {
        return end;
    }

    /** Bytes already in the last chunk if {@code pending} more bytes were written to it. */
    long chunkFill(long pending) {
        return end + pending - chunks.lastStart();
    }

    long chunkSize() {
        return chunkSize;
    }

    int chunkCount() {
        return chunks.count();
    }

    ChunkFiles chunks() {
        return chunks;
    }

    /** True if the commit in progress created a chunk. */
    boolean rolledInCommit() {
        return !created.isEmpty();
    }

    /** Writes {@code records} at the end of the last chunk. */
    void write(ByteBuffer records) throws IOException {
        FileChannel file = lastChunk();
        long offset = end - chunks.lastStart();
        while (records.hasRemaining()) {
            int n = file.write(records, offset);
            offset += n;
            end += n;
        }
    }

    /** Starts a new chunk at the end of the log. */
    void roll() throws IOException {
        FileChannel previous = lastChunk();
        cutPreallocation(previous);
        rolled.add(previous);
        last = null;
        Path path = chunks.path(end);
        last = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
        chunks.added(end);
        created.add(end);
        directoryDirty = true;
    }

    /** Makes every byte written so far durable, and the chunk files created for them. */
    void sync() throws IOException {
        for (FileChannel chunk : rolled) {
            chunk.force(false);
        }
        if (last != null) {
            last.force(false);
        }
        if (directoryDirty) {
            syncDirectory(chunks.directory());
            directoryDirty = false;
        }
    }

    /** Advances the commit pointer to the end of the log, and ends the commit in progress. */
    CommitPointer commit(long version, boolean syncPointer) throws IOException {
        CommitPointer pointer = new CommitPointer(end, version);
        CommitPointerFile file = pointerFile();
        file.write(pointer);
        if (syncPointer) {
            file.sync();
        }
        committed = pointer;
        endCommit();
        commitsSinceOpen++;
        return pointer;
    }

    /**
     * For a busy, durable store: makes sure zeros lie ahead of the log's end in the last chunk.
     * Overwriting existing bytes lets fdatasync skip the file-size update (a journal commit on
     * ext4), which roughly halves the cost of each durable commit. The zeros never count as
     * records: readers stop at the commit pointer, recovery stops at a zero length and cuts them
     * off, a chunk is cut to its exact length when the log rolls over it, and the last chunk when
     * its handles are released.
     */
    void preallocate() throws IOException {
        if (!durable || commitsSinceOpen < BUSY_COMMITS || preallocatedEnd - end > PREALLOCATION / 8) {
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
            }
        }
        file.force(false);
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
    void syncPointer() throws IOException {
        if (pointerFile != null) {
            pointerFile.sync();
        }
    }

    /** Undoes everything written since the last commit: new chunks deleted, the last chunk cut back. */
    void rollback() throws IOException {
        for (FileChannel chunk : rolled) {
            chunk.close();
        }
        if (last != null) {
            last.close();
            last = null;
        }
        for (long start : created) {
            Files.deleteIfExists(chunks.path(start));
            chunks.removed(start);
        }
        if (!created.isEmpty()) {
            syncDirectory(chunks.directory());
        }
        endCommit();
        long lastStart = chunks.lastStart();
        try (FileChannel chunk = FileChannel.open(chunks.path(lastStart), StandardOpenOption.WRITE)) {
            chunk.truncate(committed.position() - lastStart);
        }
        preallocatedEnd = committed.position();
        end = committed.position();
    }

    private void endCommit() throws IOException {
        for (FileChannel chunk : rolled) {
            chunk.close();
        }
        rolled.clear();
        created.clear();
    }

    /** True while file handles are open. */
    boolean holdsHandles() {
        return last != null || pointerFile != null;
    }

    /** Closes the file handles (syncing the commit pointer first); they reopen on the next write. */
    void releaseHandles() throws IOException {
        commitsSinceOpen = 0;
        try {
            if (last != null && preallocatedEnd > end) {
                cutPreallocation(last);
                last.force(false);
            }
            if (pointerFile != null) {
                pointerFile.close();
            }
        } finally {
            pointerFile = null;
            if (last != null) {
                last.close();
                last = null;
            }
        }
    }

    private FileChannel lastChunk() throws IOException {
        if (last == null) {
            long start = chunks.lastStart();
            if (start < 0) {
                throw new CorruptLogException(store.value(), "(none)", end, "the store has no chunk file");
            }
            last = FileChannel.open(chunks.path(start), StandardOpenOption.WRITE, StandardOpenOption.READ);
        }
        return last;
    }

    private CommitPointerFile pointerFile() throws IOException {
        if (pointerFile == null) {
            pointerFile = CommitPointerFile.openForWrite(directory.resolve(CommitPointerFile.NAME), durable);
        }
        return pointerFile;
    }

    @Override
    public void close() throws IOException {
        releaseHandles();
    }
}
