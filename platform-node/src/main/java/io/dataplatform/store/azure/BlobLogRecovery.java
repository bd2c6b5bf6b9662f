package io.dataplatform.store.azure;

import com.azure.core.util.Context;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CommitPointerFormat;
import io.dataplatform.store.CorruptLogException;
import io.dataplatform.store.RecordFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Brings a store's log on blobs back to its last commit when a writer opens it (holding the
 * store's lease). The pointer blob is written with every commit before the commit is
 * acknowledged, so everything past it belongs to commits that were never acknowledged: recovery
 * keeps the log up to the pointer and nothing after it.
 * <ol>
 *   <li>Chunks that start past the pointer are deleted.</li>
 *   <li>The chunk holding the pointer's position cannot be cut: if its blob runs past the pointer,
 *   the log's next write starts a new chunk at the pointer (the bytes past it stay in the old blob,
 *   outside every reader's extent).</li>
 *   <li>If the pointer blob is missing or damaged (as on files), the last chunk is walked from its
 *   first record, keeping records that verify and carry the next version up to the last commit
 *   flag; a last chunk whose first record does not verify is deleted and the chunk before it
 *   used. The pointer is then written again.</li>
 * </ol>
 * A pointer past the end of its chunk's blob means committed data is missing: the store is refused
 * ({@link CorruptLogException}), as on files. Runs under the store's lock; not thread-safe.
 */
final class BlobLogRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(BlobLogRecovery.class);

    private final StoreBlobs blobs;
    private final StoreLease lease;
    private final CRC32C crc = new CRC32C();

    BlobLogRecovery(StoreBlobs blobs, StoreLease lease) {
        this.blobs = blobs;
        this.lease = lease;
    }

    /** Recovers the log and opens it for writing. */
    BlobStoreLog recover(String incarnation, long chunkSize) throws IOException {
        String store = blobs.store().value();
        byte[] image = blobs.readPointer();
        Optional<CommitPointer> stored = image == null ? Optional.empty()
                : CommitPointerFormat.newest(store, blobs.describe(CommitPointerFormat.NAME), ByteBuffer.wrap(image));
        NavigableMap<Long, Long> chunks = blobs.listChunks();
        if (chunks.isEmpty()) {
            if (stored.isPresent() && stored.get().position() > 0) {
                throw new CorruptLogException(store, "(none)", stored.get().position(),
                        "the commit pointer is past 0 but the store has no chunk blob");
            }
            blobs.createChunk(0);
            chunks.put(0L, 0L);
        }
        CommitPointer recovered;
        if (stored.isPresent()) {
            recovered = stored.get();
            long holding = chunks.floorKey(recovered.position());
            if (recovered.position() - holding > chunks.get(holding)) {
                throw new CorruptLogException(store, StoreBlobs.fileName(holding), recovered.position(),
                        "the commit pointer is past the end of the chunk (" + (holding + chunks.get(holding))
                                + "); committed data is missing. Delete " + blobs.describe(CommitPointerFormat.NAME)
                                + " to rebuild the pointer from what the chunks hold");
            }
        } else {
            LOG.warn("Store '{}': commit pointer {} missing or damaged; rebuilding it from chunk {}", store,
                    blobs.describe(CommitPointerFormat.NAME), StoreBlobs.fileName(chunks.lastKey()));
            recovered = walkLastChunk(chunks);
        }
        dropChunksAfter(chunks, recovered.position());
        long lastStart = chunks.lastKey();
        long blobSize = chunks.get(lastStart);
        boolean staleTail = blobSize > recovered.position() - lastStart;
        if (staleTail) {
            LOG.warn("Store '{}': chunk {} holds {} bytes past position {} (an unfinished commit); the next write"
                    + " starts a new chunk", store, StoreBlobs.fileName(lastStart),
                    blobSize - (recovered.position() - lastStart), recovered.position());
        }
        if (image == null || stored.isEmpty() || !stored.get().equals(recovered)) {
            image = CommitPointerFormat.initial(recovered);
        }
        // written in every case: the upload names this writer as the holder and proves the lease
        uploadPointer(image);
        int blocks = blobs.blockCount(lastStart);
        return new BlobStoreLog(blobs, lease, chunkSize, incarnation, recovered, chunks, image, blocks, staleTail);
    }

    private void uploadPointer(byte[] image) throws IOException {
        BlockBlobSimpleUploadOptions upload = new BlockBlobSimpleUploadOptions(BlobTransfers.stream(ByteBuffer.wrap(image)),
                image.length).setMetadata(lease.metadata()).setRequestConditions(lease.conditions());
        try {
            blobs.account().call(blobs.store().value(), "writing " + blobs.describe(CommitPointerFormat.NAME),
                    () -> blobs.pointer().uploadWithResponse(upload, null, Context.NONE));
        } catch (com.azure.storage.blob.models.BlobStorageException e) {
            throw lease.lostBy(e);
        }
    }

    /** Deletes the chunks that start past {@code end}: they hold nothing committed. */
    private void dropChunksAfter(NavigableMap<Long, Long> chunks, long end) throws IOException {
        for (Long later : chunks.tailMap(end, false).keySet().toArray(new Long[0])) {
            LOG.warn("Store '{}': dropping chunk {} ({} bytes) past position {}: an unfinished commit",
                    blobs.store(), StoreBlobs.fileName(later), chunks.get(later), end);
            blobs.account().call(blobs.store().value(), "deleting chunk " + StoreBlobs.fileName(later),
                    () -> blobs.chunk(later).deleteIfExists());
            chunks.remove(later);
        }
    }

    /** The pointer after the last whole commit of the last chunk whose first record verifies. */
    private CommitPointer walkLastChunk(NavigableMap<Long, Long> chunks) throws IOException {
        while (true) {
            long start = chunks.lastKey();
            long size = chunks.get(start);
            try (ChunkWindow window = new ChunkWindow(blobs, blobs.account().options().readRange())) {
                CommitPointer found = walk(window, start, size);
                if (found != null) {
                    return found;
                }
            }
            if (start == 0) {
                return CommitPointer.EMPTY;
            }
            LOG.warn("Store '{}': dropping chunk {} whose first record is incomplete or damaged", blobs.store(),
                    StoreBlobs.fileName(start));
            blobs.account().call(blobs.store().value(), "deleting chunk " + StoreBlobs.fileName(start),
                    () -> blobs.chunk(start).deleteIfExists());
            chunks.remove(start);
        }
    }

    /** Walks a chunk from its start; null if its first record does not verify (for a chunk past 0). */
    private CommitPointer walk(ChunkWindow window, long start, long size) throws IOException {
        long offset = 0;
        long version = -1;
        CommitPointer lastCommit = null;
        while (offset + RecordFormat.PREFIX_SIZE <= size) {
            ByteBuffer prefix = window.view(start, offset, RecordFormat.PREFIX_SIZE, size);
            int length = RecordFormat.length(prefix, 0);
            if (length < RecordFormat.MIN_LENGTH || length > RecordFormat.MAX_LENGTH
                    || offset + RecordFormat.PREFIX_SIZE + length > size) {
                break;
            }
            ByteBuffer record = window.view(start, offset, RecordFormat.PREFIX_SIZE + length, size);
            if (RecordFormat.verify(crc, record, 0) != null) {
                break;
            }
            long recordVersion = RecordFormat.version(record, 0);
            if (version < 0) {
                version = recordVersion - 1;
                if (lastCommit == null) {
                    lastCommit = new CommitPointer(start, version);
                }
            }
            if (recordVersion != version + 1) {
                break;
            }
            version = recordVersion;
            offset += RecordFormat.PREFIX_SIZE + length;
            if (RecordFormat.isCommitEnd(record, 0)) {
                lastCommit = new CommitPointer(start + offset, version);
            }
        }
        if (lastCommit == null && start == 0) {
            return CommitPointer.EMPTY;
        }
        return lastCommit;
    }
}
