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
 * Appends are acknowledged once their records are synced, while the pointer file is synced
 * lazily (always before acknowledging a commit that created a chunk, else at most every
 * {@code pointerSyncInterval}), so complete commits may follow the pointer on disk. Recovery
 * therefore
 * <ol>
 *   <li>walks from the pointer, into following chunks while they continue the log, keeping
 *   records that verify and carry the next store version, up to the last record that ends a
 *   commit (the commit flag of docs/storage-format.md);</li>
 *   <li>cuts the log there: the chunk holding that position is truncated and later chunks are
 *   deleted (a torn or unfinished commit, never acknowledged);</li>
 *   <li>writes and syncs the pointer.</li>
 * </ol>
 * If the pointer file is missing or damaged, the walk starts at the first record of the last
 * chunk. Because a commit that creates a chunk syncs the pointer first, the walk covers at most
 * the last chunk (two, if that sync failed: the store then took no more writes), never the whole
 * store. What recovery drops is logged. Not thread-safe; runs
 * under the store's lock.
 */
final class LogRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);

    private final StoreId store;
    private final Path directory;
    private final ChunkFiles chunks;
    private final CRC32C crc = new CRC32C();
    private final FileOpener opener;

    LogRecovery(StoreId store, Path directory, ChunkFiles chunks) {
        this(store, directory, chunks, FileOpener.DEFAULT);
    }

    LogRecovery(StoreId store, Path directory, ChunkFiles chunks, FileOpener opener) {
        this.store = store;
        this.directory = directory;
        this.chunks = chunks;
        this.opener = opener;
    }

    CommitPointer recover() throws IOException {
        Path pointerPath = directory.resolve(CommitPointerFile.NAME);
        Optional<CommitPointer> onDisk = CommitPointerFile.read(pointerPath, opener);
        if (chunks.isEmpty()) {
            if (onDisk.isPresent() && onDisk.get().position() > 0) {
                throw new CorruptLogException(store.value(), "(none)", onDisk.get().position(),
                        "the commit pointer is past 0 but the store has no chunk file");
            }
            try (FileChannel first = opener.open(chunks.path(0), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                first.force(true);
            }
            chunks.added(0);
            FileStoreLog.syncDirectory(opener, chunks.directory());
        }
        CommitPointer start = onDisk.isPresent() ? onDisk.get() : startFromLastChunk();
        if (onDisk.isEmpty()) {
            LOG.warn("Store '{}': commit pointer {} missing or damaged; rebuilding it from chunk {}",
                    store, pointerPath, ChunkFiles.fileName(chunks.lastStart()));
        }
        long chunkStart = chunks.startOf(start.position());
        long chunkSize = Files.size(chunks.path(chunkStart));
        if (start.position() - chunkStart > chunkSize) {
            throw new CorruptLogException(store.value(), ChunkFiles.fileName(chunkStart), start.position(),
                    "the commit pointer is past the end of the chunk (" + (chunkStart + chunkSize)
                            + "); committed data is missing. Delete " + CommitPointerFile.NAME
                            + " to rebuild the pointer from what the chunks hold");
        }
        CommitPointer recovered = walk(start);
        cutAfter(recovered.position());
        if (onDisk.isEmpty() || !onDisk.get().equals(recovered)) {
            if (onDisk.isPresent()) {
                LOG.info("Store '{}': commit pointer moved from {} to {} (commits synced after the pointer was)",
                        store, onDisk.get().position(), recovered.position());
            }
            CommitPointerFile.create(pointerPath, recovered, true, opener);
            FileStoreLog.syncDirectory(opener, directory);
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
            try (FileChannel chunk = opener.open(path, StandardOpenOption.READ)) {
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

    /**
     * Walks records from {@code start}, into the following chunks as long as they continue the log;
     * returns the pointer after the last complete commit.
     */
    private CommitPointer walk(CommitPointer start) throws IOException {
        CommitPointer lastCommit = start;
        long position = start.position();
        long version = start.version();
        long chunkStart = chunks.startOf(position);
        while (chunkStart >= 0) {
            try (FileChannel chunk = opener.open(chunks.path(chunkStart), StandardOpenOption.READ)) {
                long offset = position - chunkStart;
                while (true) {
                    ByteBuffer record = readRecordAt(chunk, offset);
                    if (record == null || RecordFormat.version(record, 0) != version + 1) {
                        break;
                    }
                    version++;
                    offset += record.limit();
                    if (RecordFormat.isCommitEnd(record, 0)) {
                        lastCommit = new CommitPointer(chunkStart + offset, version);
                    }
                }
                position = chunkStart + offset;
                if (offset < chunk.size()) {
                    return lastCommit;
                }
            }
            long next = chunks.nextStart(chunkStart);
            chunkStart = next == position ? next : -1;
        }
        return lastCommit;
    }

    /** Deletes and truncates whatever lies past {@code end}, saying what it drops. */
    private void cutAfter(long end) throws IOException {
        long keep = chunks.startOf(end);
        boolean deleted = false;
        for (Long later : chunks.all().tailMap(keep, false).keySet().toArray(new Long[0])) {
            long size = Files.size(chunks.path(later));
            LOG.warn("Store '{}': dropping chunk {} ({} bytes) past position {}: an unfinished commit",
                    store, ChunkFiles.fileName(later), size, end);
            Files.delete(chunks.path(later));
            chunks.removed(later);
            deleted = true;
        }
        try (FileChannel chunk = opener.open(chunks.path(keep), StandardOpenOption.WRITE)) {
            long kept = end - keep;
            long size = chunk.size();
            if (size > kept) {
                LOG.warn("Store '{}': discarding {} bytes of chunk {} past position {}: an unfinished commit",
                        store, size - kept, ChunkFiles.fileName(keep), end);
                chunk.truncate(kept);
                chunk.force(true);
            }
        }
        if (deleted) {
            FileStoreLog.syncDirectory(opener, chunks.directory());
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
