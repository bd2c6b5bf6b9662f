package io.dataplatform.store.azure;

import com.azure.core.util.Context;
import com.azure.storage.blob.models.AppendBlobRequestConditions;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.AppendBlobCreateOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.AppendBlobClient;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CommitPointerFormat;
import io.dataplatform.store.OwnershipLostException;
import io.dataplatform.store.RecordFormat;
import io.dataplatform.store.log.StoreLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableMap;
import java.util.zip.CRC32C;

/**
 * The writing side of one store's log on blobs ({@link StoreBlobs} names them). Records are
 * appended to the last chunk's append blob in blocks of whole records (a record larger than a
 * block spans as few blocks as it needs), each block conditional on the append position, so that
 * two writers can never interleave: the second gets 412 and its commit fails. A chunk rolls at the
 * chunk size, or before the append blob's block limit. {@link #commit} uploads the pointer blob,
 * carrying the writer's {@link StoreLease}: a commit is durable and visible once that upload
 * succeeds, and a writer that lost its lease can never move the pointer.
 *
 * <p>Append blobs cannot be cut. Bytes appended past the pointer by a commit that failed (or by a
 * writer that crashed) stay in their blob; the log then starts a new chunk at the committed end
 * before it writes again (or, if the chunk holds nothing committed, replaces the chunk), so a
 * chunk's readable extent always ends where the next chunk starts, and readers never read past
 * the pointer anyway. See docs/storage-format.md, "Blobs".
 *
 * <p>Not thread-safe: only the store's writer uses it, under the store's lock.
 */
final class BlobStoreLog implements StoreLog {

    private static final Logger LOG = LoggerFactory.getLogger(BlobStoreLog.class);
    /** The largest append block this log writes (the service's limit for every API version). */
    static final int MAX_BLOCK = 4 * 1024 * 1024;
    /** Blocks per append blob the service allows. */
    static final int MAX_BLOCKS = 50_000;
    /** Blocks kept free at the end of a chunk: the blocks of one more write of the largest record. */
    static final int SPARE_BLOCKS = 2 + (RecordFormat.PREFIX_SIZE + RecordFormat.MAX_LENGTH) / MAX_BLOCK;

    private final StoreBlobs blobs;
    private final StoreLease lease;
    private final long chunkSize;
    private final String incarnation;
    private final NavigableMap<Long, Long> chunks;
    private final byte[] pointerImage;
    private final CRC32C crc = new CRC32C();
    private CommitPointer committed;
    private long end;
    private long lastStart;
    private int lastBlocks;
    /** Chunks created by the commit in progress. */
    private final List<Long> created = new ArrayList<>();
    /** True once the commit in progress has tried to upload the pointer. */
    private boolean pointerWritten;
    /** True if the last chunk holds bytes past the committed end: the next write starts a new chunk. */
    private boolean staleTail;
    private boolean closed;

    /**
     * A log recovered by {@link BlobLogRecovery}.
     *
     * @param chunks       start to size of every chunk (the last one's size is its blob's)
     * @param pointerImage the pointer blob's bytes as they are now ({@link CommitPointerFormat#SIZE})
     * @param lastBlocks   blocks in the last chunk's blob
     * @param staleTail    whether the last chunk's blob runs past {@code committed}
     */
    BlobStoreLog(StoreBlobs blobs, StoreLease lease, long chunkSize, String incarnation, CommitPointer committed,
                 NavigableMap<Long, Long> chunks, byte[] pointerImage, int lastBlocks, boolean staleTail) {
        this.blobs = blobs;
        this.lease = lease;
        this.chunkSize = chunkSize;
        this.incarnation = incarnation;
        this.committed = committed;
        this.end = committed.position();
        this.chunks = chunks;
        this.lastStart = chunks.lastKey();
        this.pointerImage = Arrays.copyOf(pointerImage, CommitPointerFormat.SIZE);
        this.lastBlocks = lastBlocks;
        this.staleTail = staleTail;
    }

    @Override
    public CommitPointer committed() {
        return committed;
    }

    @Override
    public String incarnation() {
        return incarnation;
    }

    @Override
    public long end() {
        return end;
    }

    /**
     * The fill of the last chunk; reported as full when its blob is near the block limit, so that
     * the writer rolls before the next record, or when its blob holds bytes past the committed end.
     */
    @Override
    public long chunkFill(long pending) {
        long fill = end + pending - lastStart;
        if (fill > 0 && (staleTail || lastBlocks + blocksFor(pending) > MAX_BLOCKS - SPARE_BLOCKS)) {
            return Math.max(fill, chunkSize);
        }
        return fill;
    }

    private static int blocksFor(long bytes) {
        return (int) ((bytes + MAX_BLOCK - 1) / MAX_BLOCK);
    }

    @Override
    public long chunkSize() {
        return chunkSize;
    }

    @Override
    public boolean rolledInCommit() {
        return !created.isEmpty();
    }

    @Override
    public void write(ByteBuffer records) throws IOException {
        lease.ensureHeld();
        if (staleTail) {
            startChunk();
        }
        ByteBuffer rest = records.duplicate();
        while (rest.hasRemaining()) {
            int block = wholeRecords(rest);
            ByteBuffer part = rest.duplicate();
            part.limit(part.position() + block);
            appendBlock(part);
            rest.position(rest.position() + block);
        }
        records.position(records.limit());
    }

    /** Bytes of the next block: as many whole records as fit in {@link #MAX_BLOCK}, or a piece of one larger record. */
    private static int wholeRecords(ByteBuffer rest) {
        int at = rest.position();
        int limit = rest.limit();
        int taken = 0;
        while (at + RecordFormat.PREFIX_SIZE <= limit) {
            int size = RecordFormat.PREFIX_SIZE + RecordFormat.length(rest, at);
            if (size <= RecordFormat.PREFIX_SIZE || taken + size > MAX_BLOCK) {
                break;
            }
            taken += size;
            at += size;
        }
        return taken > 0 ? Math.min(taken, limit - rest.position()) : Math.min(MAX_BLOCK, limit - rest.position());
    }

    private void appendBlock(ByteBuffer block) throws IOException {
        long chunk = lastStart;
        long offset = end - chunk;
        int length = block.remaining();
        AppendBlobClient blob = blobs.chunk(chunk);
        AppendBlobRequestConditions condition = new AppendBlobRequestConditions().setAppendPosition(offset);
        try {
            blobs.account().call(blobs.store().value(), "appending to chunk " + StoreBlobs.fileName(chunk),
                    () -> blob.appendBlockWithResponse(BlobTransfers.stream(block), length, null, condition, null,
                            Context.NONE));
        } catch (BlobStorageException e) {
            if (!BlobAccount.answered(e, 412, BlobErrorCode.APPEND_POSITION_CONDITION_NOT_MET) || !landed(blob, offset, block)) {
                throw refusedAppend(chunk, offset, e);
            }
            // a retry of an append that did land (its answer was lost): the block is there
        }
        end += length;
        lastBlocks++;
        chunks.put(chunk, end - chunk);
    }

    /** True if the blob holds exactly {@code block} at {@code offset} and ends after it. */
    private boolean landed(AppendBlobClient blob, long offset, ByteBuffer block) throws IOException {
        long size = blobs.account().call(blobs.store().value(), "reading the size of " + blob.getBlobName(),
                () -> blob.getProperties().getBlobSize());
        if (size != offset + block.remaining()) {
            return false;
        }
        ByteBuffer stored = ByteBuffer.allocate(block.remaining());
        blobs.account().call(blobs.store().value(), "reading back " + blob.getBlobName(), () -> {
            stored.clear();
            BlobTransfers.readRange(blob, offset, block.remaining(), stored);
            return null;
        });
        return stored.flip().equals(block.duplicate());
    }

    private RuntimeException refusedAppend(long chunk, long offset, BlobStorageException e) {
        if (e.getStatusCode() == 412 || e.getStatusCode() == 404) {
            // another writer appended (or removed the chunk): this one no longer owns the store
            String why = "chunk " + StoreBlobs.fileName(chunk) + " does not end at " + offset
                    + " any more: another writer wrote it (" + e.getErrorCode() + ")";
            lease.lostBy(e);
            return new OwnershipLostException(blobs.store().value(), why, e);
        }
        return e;
    }

    @Override
    public void roll() throws IOException {
        startChunk();
        created.add(lastStart);
    }

    /**
     * Starts a chunk at {@link #end}: a new append blob, created only if none is there (a writer
     * that finds one is not the store's only writer). A chunk whose blob holds nothing committed (it
     * starts at the end) is replaced. The lease is renewed first, so that no other writer can hold
     * the store while the chunk is created.
     */
    private void startChunk() throws IOException {
        lease.renewNow();
        String store = blobs.store().value();
        AppendBlobClient blob = blobs.chunk(end);
        if (chunks.containsKey(end)) {
            if (chunks.get(end) > 0) {
                LOG.info("Store '{}': replacing chunk {}, which holds only bytes of an unfinished commit", store,
                        StoreBlobs.fileName(end));
            }
            blobs.account().call(store, "replacing chunk " + StoreBlobs.fileName(end), blob::deleteIfExists);
        } else if (staleTail) {
            LOG.info("Store '{}': starting chunk {}; chunk {} holds bytes of an unfinished commit past it", store,
                    StoreBlobs.fileName(end), StoreBlobs.fileName(lastStart));
        }
        AppendBlobCreateOptions create = new AppendBlobCreateOptions()
                .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*"));
        try {
            blobs.account().call(store, "creating chunk " + StoreBlobs.fileName(end),
                    () -> blob.createWithResponse(create, null, Context.NONE));
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 409 || e.getStatusCode() == 412) {
                throw new OwnershipLostException(store, "chunk " + StoreBlobs.fileName(end)
                        + " was created by another writer", e);
            }
            throw e;
        }
        chunks.put(end, 0L);
        lastStart = end;
        lastBlocks = 0;
        staleTail = false;
    }

    /** Blocks are durable once appended: nothing to do but check the store is still held. */
    @Override
    public void sync() {
        lease.ensureHeld();
    }

    @Override
    public CommitPointer commit(long version) throws IOException {
        CommitPointer pointer = new CommitPointer(end, version);
        int slot = CommitPointerFormat.olderSlot(ByteBuffer.wrap(pointerImage));
        byte[] image = pointerImage.clone();
        CommitPointerFormat.encode(ByteBuffer.wrap(image), slot, pointer, crc);
        pointerWritten = true;
        uploadPointer(image);
        System.arraycopy(image, 0, pointerImage, 0, image.length);
        committed = pointer;
        created.clear();
        pointerWritten = false;
        return pointer;
    }

    /** Uploads the pointer blob, carrying the lease and the holder's name. */
    private void uploadPointer(byte[] image) throws IOException {
        lease.ensureHeld();
        BlockBlobSimpleUploadOptions upload = new BlockBlobSimpleUploadOptions(BlobTransfers.stream(ByteBuffer.wrap(image)),
                image.length).setMetadata(lease.metadata()).setRequestConditions(lease.conditions());
        try {
            blobs.account().call(blobs.store().value(), "writing " + blobs.describe(CommitPointerFormat.NAME),
                    () -> blobs.pointer().uploadWithResponse(upload, null, Context.NONE));
        } catch (BlobStorageException e) {
            throw lease.lostBy(e);
        }
    }

    /** The pointer is durable once uploaded. */
    @Override
    public void syncPointer() {
    }

    /**
     * Undoes the commit in progress. The pointer is uploaded again as it was if the commit tried to
     * move it; chunks the commit created are deleted; bytes it appended to an older chunk stay in
     * its blob, past the committed end, and the next write starts a new chunk there.
     */
    @Override
    public void rollback() throws IOException {
        try {
            if (pointerWritten) {
                uploadPointer(pointerImage.clone());
            }
            for (int i = created.size() - 1; i >= 0; i--) {
                long start = created.get(i);
                blobs.account().call(blobs.store().value(), "deleting chunk " + StoreBlobs.fileName(start),
                        () -> blobs.chunk(start).deleteIfExists());
                chunks.remove(start);
            }
        } finally {
            created.clear();
            pointerWritten = false;
            // chunks that could not be deleted stay listed: the next roll onto one replaces it
            lastStart = chunks.floorKey(committed.position());
            long held = chunks.get(lastStart);
            staleTail = held > committed.position() - lastStart;
            end = committed.position();
        }
    }

    @Override
    public long storedBytes() throws IOException {
        long total = 0;
        for (long size : blobs.listChunks().values()) {
            total += size;
        }
        return Math.max(total, committed.position());
    }

    @Override
    public int chunkCount() {
        return chunks.size();
    }

    /** Nothing is held open between commits but the lease, which is kept until {@link #close}. */
    @Override
    public boolean holdsHandles() {
        return false;
    }

    @Override
    public void releaseHandles() {
    }

    /** The writer named in the store's lease: this process. */
    String holder() {
        return lease.holder();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            lease.release();
        }
    }
}
