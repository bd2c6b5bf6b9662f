package io.dataplatform.store.azure;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CorruptLogException;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.InvalidPositionException;
import io.dataplatform.store.ReadLimits;
import io.dataplatform.store.ReaderWaits;
import io.dataplatform.store.RecordFormat;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.log.CommitWaitSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * Reads a store's chunk blobs directly, read-only, in this process or any other. Bytes come through
 * a {@link ChunkWindow}: ranged downloads of {@link AzureStoreOptions#readRange()} bytes with the
 * next range read ahead, so memory stays flat whatever the store's size. A chunk's readable extent
 * ends where the next chunk starts, or at the commit pointer; bytes of a blob past its extent (an
 * unfinished commit) are never read. A batch never spans two chunks.
 *
 * <p>Not thread-safe, except {@link #commitAfter}, which joins the waiters of its
 * {@link CommitWaitSource} (the engine's, or a {@link BlobPointerPoller}'s) from any thread.
 */
final class BlobStoreReader implements StoreReader {

    private final StoreBlobs blobs;
    private final Supplier<CommitPointer> pointerSource;
    private final Supplier<String> incarnationSource;
    private final CommitWaitSource waitSource;
    private final ReaderWaits waits;
    private final ChunkWindow window;
    private final CRC32C crc = new CRC32C();
    private final EventBatch batch = new EventBatch();
    private NavigableMap<Long, Long> chunks;
    private final long pointerReuseNanos;
    private CommitPointer lastPointer;
    private long lastPointerRead;

    /** A reader that reads the pointer from {@code pointerSource} at every read. */
    BlobStoreReader(StoreBlobs blobs, Supplier<CommitPointer> pointerSource, Supplier<String> incarnationSource,
                    CommitWaitSource waitSource) {
        this(blobs, pointerSource, incarnationSource, waitSource, Duration.ZERO);
    }

    /**
     * @param pointerReuse how long a read may bound itself by the pointer an earlier read got, while
     *                     it reads below it (a reader catching up then costs no request for the pointer
     *                     per batch); a read at that pointer always reads it again
     */
    BlobStoreReader(StoreBlobs blobs, Supplier<CommitPointer> pointerSource, Supplier<String> incarnationSource,
                    CommitWaitSource waitSource, Duration pointerReuse) {
        this.pointerReuseNanos = pointerReuse.toNanos();
        this.blobs = blobs;
        this.pointerSource = pointerSource;
        this.incarnationSource = incarnationSource;
        this.waitSource = waitSource;
        this.waits = new ReaderWaits(blobs.store().value());
        this.window = new ChunkWindow(blobs, blobs.account().options().readRange());
    }

    @Override
    public StoreId store() {
        return blobs.store();
    }

    @Override
    public String incarnation() {
        return incarnationSource.get();
    }

    @Override
    public CommitPointer commitPointer() {
        return pointerSource.get();
    }

    @Override
    public CompletableFuture<CommitPointer> commitAfter(long after, Duration timeout) {
        return waits.start(() -> waitSource.waiters().await(after, timeout, pointerSource));
    }

    @Override
    public EventBatch read(long from, int maxEvents, int maxBytes) {
        if (maxEvents < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxEvents and maxBytes must be positive");
        }
        CommitPointer limit = limit(from);
        if (from < 0) {
            throw new InvalidPositionException(store().value(), from, "position " + from + " is negative");
        }
        if (from > limit.position()) {
            throw new InvalidPositionException(store().value(), from, "position " + from
                    + " is past the commit pointer " + limit.position() + " of store '" + store() + "'");
        }
        if (from == limit.position()) {
            batch.resetEmpty(from);
            return batch;
        }
        try {
            long chunkStart = locate(from, limit.position());
            Long next = chunks.higherKey(chunkStart);
            long end = next == null ? limit.position() : Math.min(next, limit.position());
            if (chunkStart + chunks.get(chunkStart) < end) {
                throw new CorruptLogException(store().value(), StoreBlobs.fileName(chunkStart), chunkStart + chunks.get(chunkStart),
                        "chunk blob ends before the commit pointer (" + end + ")");
            }
            readRecords(chunkStart, from, end, maxEvents, Math.min(maxBytes, ReadLimits.MAX_BYTES));
            return batch;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read store '" + store() + "' at " + from, e);
        }
    }

    /** The pointer this read stops at: the last one read if it is recent and past {@code from}, else a fresh one. */
    private CommitPointer limit(long from) {
        long now = System.nanoTime();
        if (lastPointer != null && from < lastPointer.position() && now - lastPointerRead < pointerReuseNanos) {
            return lastPointer;
        }
        lastPointer = pointerSource.get();
        lastPointerRead = now;
        return lastPointer;
    }

    /**
     * The start of the chunk holding {@code position}. The listing is read again when the position
     * lies past what the known chunks hold (the writer has written or started a chunk since).
     */
    private long locate(long position, long limit) throws IOException {
        Map.Entry<Long, Long> known = chunks == null ? null : chunks.floorEntry(position);
        boolean stale = known == null
                || (chunks.higherKey(known.getKey()) == null && known.getKey() + known.getValue() < limit);
        if (stale) {
            chunks = blobs.listChunks();
            known = chunks.floorEntry(position);
        }
        if (known == null) {
            throw new CorruptLogException(store().value(), "(none)", position,
                    "no chunk blob holds this committed position (commit pointer " + limit + ")");
        }
        return known.getKey();
    }

    private void readRecords(long chunkStart, long from, long end, int maxEvents, int maxBytes) throws IOException {
        long extent = end - chunkStart;
        long offsetInChunk = from - chunkStart;
        int wanted = (int) Math.min(end - from, Math.max(maxBytes, RecordFormat.PREFIX_SIZE));
        ByteBuffer bytes = window.view(chunkStart, offsetInChunk, wanted, extent);
        ByteBuffer checksumView = bytes.duplicate();
        batch.reset(bytes, from);
        int offset = 0;
        // the window may hold more than asked for: a batch stays within maxBytes (or one record)
        int available = Math.min(bytes.limit(), wanted);
        long lastVersion = -1;
        while (batch.size() < maxEvents && available - offset >= RecordFormat.PREFIX_SIZE) {
            int length = RecordFormat.length(bytes, offset);
            if (length < RecordFormat.MIN_LENGTH || length > RecordFormat.MAX_LENGTH
                    || from + offset + RecordFormat.PREFIX_SIZE + (long) length > end) {
                reportBadRecord(chunkStart, from + offset, end, "impossible record length " + length);
            }
            int size = RecordFormat.PREFIX_SIZE + length;
            if (offset + size > available) {
                if (batch.size() > 0) {
                    break;
                }
                // a single record larger than the batch limit: read it whole
                bytes = window.view(chunkStart, offsetInChunk, size, extent);
                checksumView = bytes.duplicate();
                batch.reset(bytes, from);
                available = size;
            }
            String problem = RecordFormat.verify(crc, bytes, checksumView, offset);
            if (problem != null) {
                reportBadRecord(chunkStart, from + offset, end, problem);
            }
            long version = RecordFormat.version(bytes, offset);
            if (lastVersion >= 0 && version != lastVersion + 1) {
                throw new CorruptLogException(store().value(), StoreBlobs.fileName(chunkStart), from + offset,
                        "store version " + version + " follows " + lastVersion);
            }
            lastVersion = version;
            batch.add(offset);
            offset += size;
        }
        if (batch.isEmpty()) {
            reportBadRecord(chunkStart, from, end, "truncated record before the commit pointer");
        }
    }

    /**
     * A record that does not verify where one should start: damage, unless the caller asked for a
     * position inside a record (told apart by walking the chunk from its start).
     */
    private void reportBadRecord(long chunkStart, long position, long end, String problem) throws IOException {
        if (position != chunkStart && batch.isEmpty() && !isRecordBoundary(chunkStart, position, end)) {
            throw new InvalidPositionException(store().value(), position, "position " + position
                    + " is not on a record boundary of store '" + store() + "'");
        }
        throw new CorruptLogException(store().value(), StoreBlobs.fileName(chunkStart), position, problem);
    }

    private boolean isRecordBoundary(long chunkStart, long position, long end) throws IOException {
        long at = chunkStart;
        while (at < position && at + RecordFormat.PREFIX_SIZE <= end) {
            ByteBuffer prefix = window.view(chunkStart, at - chunkStart, RecordFormat.PREFIX_SIZE, end - chunkStart);
            int length = RecordFormat.length(prefix, 0);
            if (length < RecordFormat.MIN_LENGTH || length > RecordFormat.MAX_LENGTH) {
                return false;
            }
            at += RecordFormat.PREFIX_SIZE + length;
        }
        return at == position;
    }

    /** Bytes of read buffers this reader holds now (bounded: see {@link ChunkWindow}). */
    long bufferedBytes() {
        return window.bufferedBytes();
    }

    @Override
    public void close() {
        waits.close();
        window.close();
        waitSource.release();
    }
}
