package io.dataplatform.store.file;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CorruptLogException;
import io.dataplatform.store.RecordFormat;
import io.dataplatform.store.StoreId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Brings a store's log back to its last complete commit when the writer opens it.
 *
 * <p>The commit pointer on disk is where recovery starts: every byte before it is committed.
 * Appends are acknowledged once their records are synced, and the pointer file is synced lazily
 * (at least before acknowledging a commit that created a chunk), so complete commits may follow
 * the pointer. Recovery therefore
 * <ol>
 *   <li>deletes chunks that start after the pointer's chunk (only an unacknowledged commit could
 *   have created them);</li>
 *   <li>walks the pointer's chunk from the pointer, keeping records that verify and carry the
 *   next store version, up to the last one that ends a commit;</li>
 *   <li>cuts the chunk there (a torn or partial commit), and writes and syncs the pointer.</li>
 * </ol>
 * If the pointer file is missing or damaged, the walk starts at the first record of the last
 * chunk. Either way recovery reads at most one chunk, never the whole store. What it drops is
 * logged. Not thread-safe; runs under the store's lock.
 */
final class LogRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);

    private final StoreId store;
    private final Path directory;
    private final ChunkFiles chunks;
    private final CRC32C crc = new CRC32C();

    LogRecovery(StoreId store, Path directory, ChunkFiles chunks) {
        this.store = store;
        this.directory = directory;
        this.chunks = chunks;
    }

    CommitPointer recover() throws IOException {
        Path pointerPath = directory.resolve(CommitPointerFile.NAME);
        Optional<CommitPointer> onDisk = CommitPointerFile.read(pointerPath);
        if (chunks.isEmpty()) {
            if (onDisk.isPresent() && onDisk.get().position() > 0) {
                throw new CorruptLogException(store.value(), "(none)", onDisk.get().position(),
                        "the commit pointer is past 0 but the store has no chunk file");
            }
            try (FileChannel first = FileChannel.open(chunks.path(0), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                first.force(true);
            }
            chunks.added(0);
            StoreLog.syncDirectory(chunks.directory());
        }
        CommitPointer start = onDisk.isPresent() ? onDisk.get() : startFromLastChunk();
        if (onDisk.isEmpty()) {
            LOG.warn("Store '{}': commit pointer {} missing or damaged; rebuilding it from chunk {}",
                    store, pointerPath, ChunkFiles.fileName(chunks.lastStart()));
        }
        long chunkStart = chunks.startOf(start.position());
        for (Long later : chunks.all().tailMap(chunkStart, false).keySet().toArray(new Long[0])) {
            long size = Files.size(chunks.path(later));
            LOG.warn("Store '{}': dropping chunk {} ({} bytes) written after the commit pointer {} by an unfinished commit",
                    store, ChunkFiles.fileName(later), size, start.position());
            Files.delete(chunks.path(later));
            chunks.removed(later);
        }
        CommitPointer recovered;
        try (FileChannel chunk = FileChannel.open(chunks.path(chunkStart), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = chunk.size();
            if (start.position() - chunkStart > size) {
                throw new CorruptLogException(store.value(), ChunkFiles.fileName(chunkStart), start.position(),
                        "the commit pointer is past the end of the chunk (" + (chunkStart + size)
                                + "); committed data is missing. Delete " + CommitPointerFile.NAME
                                + " to rebuild the pointer from what the chunk holds");
            }
            recovered = walk(chunk, chunkStart, start);
            long kept = recovered.position() - chunkStart;
            if (size > kept) {
                LOG.warn("Store '{}': discarding {} bytes of chunk {} past position {} (an unfinished commit)",
                        store, size - kept, ChunkFiles.fileName(chunkStart), recovered.position());
                chunk.truncate(kept);
                chunk.force(true);
            }
        }
        if (onDisk.isEmpty() || !onDisk.get().equals(recovered)) {
            if (onDisk.isPresent()) {
                LOG.info("Store '{}': commit pointer moved from {} to {} (commits synced after the pointer was)",
                        store, onDisk.get().position(), recovered.position());
            }
            CommitPointerFile.create(pointerPath, recovered);
            StoreLog.syncDirectory(directory);
        }
        return recovered;
    }

    /** Where the walk starts without a pointer: before the first record of the last chunk. */
    private CommitPointer startFromLastChunk() throws IOException {
        while (true) {
            long start = chunks.lastStart();
            if (start == 0) {
                return CommitPointer.EMPTY;
            }
            Path path = chunks.path(start);
            try (FileChannel chunk = FileChannel.open(path, StandardOpenOption.READ)) {
                ByteBuffer first = readRecordAt(chunk, 0);
                if (first != null) {
                    return new CommitPointer(start, RecordFormat.version(first, 0) - 1);
                }
            }
            LOG.warn("Store '{}': dropping chunk {} whose first record is incomplete or damaged",
                    store, ChunkFiles.fileName(start));
            Files.delete(path);
            chunks.removed(start);
        }
    }

    /** Walks records from {@code start}; returns the pointer after the last complete commit. */
    private CommitPointer walk(FileChannel chunk, long chunkStart, CommitPointer start) throws IOException {
        CommitPointer lastCommit = start;
        long offset = start.position() - chunkStart;
        long version = start.version();
        while (true) {
            ByteBuffer record = readRecordAt(chunk, offset);
            if (record == null || RecordFormat.version(record, 0) != version + 1) {
                return lastCommit;
            }
            version++;
            offset += record.limit();
            if (RecordFormat.isCommitEnd(record, 0)) {
                lastCommit = new CommitPointer(chunkStart + offset, version);
            }
        }
    }

    /** The whole record at {@code offset} if it is there and verifies, else null. */
    private ByteBuffer readRecordAt(FileChannel chunk, long offset) throws IOException {
        ByteBuffer prefix = ByteBuffer.allocate(RecordFormat.PREFIX_SIZE);
        if (!readFully(chunk, prefix, offset)) {
            return null;
        }
        int length = prefix.getInt(0);
        if (length < RecordFormat.MIN_LENGTH || length > RecordFormat.MAX_LENGTH
                || offset + RecordFormat.PREFIX_SIZE + length > chunk.size()) {
            return null;
        }
        ByteBuffer record = ByteBuffer.allocate(RecordFormat.PREFIX_SIZE + length);
        if (!readFully(chunk, record, offset)) {
            return null;
        }
        record.flip();
        return RecordFormat.verify(crc, record, 0) == null ? record : null;
    }

    private static boolean readFully(FileChannel chunk, ByteBuffer buffer, long offset) throws IOException {
        while (buffer.hasRemaining()) {
            if (chunk.read(buffer, offset + buffer.position()) < 0) {
                return false;
            }
        }
        return true;
    }
}
