package io.dataplatform.store.azure;

import io.dataplatform.store.RecordFormat;
import io.dataplatform.store.ReadLimits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A window on one store's chunk blobs for a sequential reader: it downloads a chunk by ranges of
 * {@code range} bytes, and while the caller works through one range it downloads the next one in
 * the background (read-ahead), never past the readable extent the caller gives (the commit
 * pointer, or the next chunk's start). Memory is bounded whatever the store's size: the window
 * holds one range (or the largest record or batch asked for, up to {@link #MAX_WINDOW}) and the
 * read-ahead one more range.
 *
 * <p>Not thread-safe: one reader uses it. Read-ahead downloads run on a small shared pool of
 * daemon threads ({@code dp-blob-read-ahead}).
 */
final class ChunkWindow implements AutoCloseable {

    /** The largest window: a batch of {@link ReadLimits#MAX_BYTES}, or the largest record, whichever is larger. */
    static final int MAX_WINDOW = Math.max(ReadLimits.MAX_BYTES, RecordFormat.PREFIX_SIZE + RecordFormat.MAX_LENGTH);

    private static final ExecutorService READ_AHEAD = Executors.newFixedThreadPool(4, task -> {
        Thread thread = new Thread(task, "dp-blob-read-ahead");
        thread.setDaemon(true);
        return thread;
    });

    private final StoreBlobs blobs;
    private final int range;
    private ByteBuffer window;
    private long chunk = -1;
    /** Offset in the chunk of the window's first byte. */
    private long windowOffset;
    private int windowLength;

    private ByteBuffer spare;
    private CompletableFuture<Void> ahead;
    private long aheadChunk = -1;
    private long aheadOffset;
    private int aheadLength;

    ChunkWindow(StoreBlobs blobs, int range) {
        this.blobs = blobs;
        this.range = range;
        this.window = ByteBuffer.allocate(range);
    }

    /**
     * Bytes of chunk {@code chunkStart} from {@code offset}: a buffer whose index 0 is that byte,
     * holding at least {@code need} bytes and at most up to {@code extent} (bytes of the chunk that
     * may be read), valid until the next call.
     *
     * @param need at most {@code extent - offset} and at most {@link #MAX_WINDOW}
     */
    ByteBuffer view(long chunkStart, long offset, int need, long extent) throws IOException {
        if (need < 0 || offset + need > extent || need > MAX_WINDOW) {
            throw new IllegalArgumentException("cannot read " + need + " bytes from " + offset + " of a chunk extent of "
                    + extent);
        }
        if (chunkStart == chunk && offset >= windowOffset && offset + need <= windowOffset + windowLength) {
            return slice(offset);
        }
        long target = Math.min(extent, offset + Math.max(need, range));
        int total = (int) (target - offset);
        int filled = 0;
        if (chunkStart == chunk && offset >= windowOffset && offset < windowOffset + windowLength) {
            // keep the bytes already here: the start of a record that runs past the window
            int keepFrom = (int) (offset - windowOffset);
            filled = windowLength - keepFrom;
            if (window.capacity() < total) {
                ByteBuffer larger = ByteBuffer.allocate(Math.min(MAX_WINDOW, Math.max(total, window.capacity() * 2)));
                ByteBuffer kept = window.duplicate();
                kept.limit(windowLength).position(keepFrom);
                larger.put(kept);
                window = larger;
            } else {
                window.limit(windowLength).position(keepFrom);
                window.compact();
            }
        } else if (window.capacity() < total) {
            window = ByteBuffer.allocate(Math.min(MAX_WINDOW, Math.max(total, window.capacity() * 2)));
        }
        window.clear().position(filled);
        chunk = chunkStart;
        windowOffset = offset;
        long next = offset + filled;
        if (ahead != null && aheadChunk == chunkStart && aheadOffset == next && next < target) {
            awaitAhead();
            if (ahead != null) {
                int take = (int) Math.min(aheadLength, window.capacity() - filled);
                spare.clear().limit(take);
                window.put(spare);
                filled += take;
                next += take;
                target = Math.max(target, next);
            }
        }
        dropAhead();
        if (next < target) {
            int length = (int) (target - next);
            long from = next;
            ByteBuffer into = window;
            blobs.account().call(blobs.store().value(), "reading chunk " + StoreBlobs.fileName(chunkStart),
                    () -> {
                        into.position((int) (from - offset));
                        BlobTransfers.readRange(blobs.chunk(chunkStart), from, length, into);
                        return null;
                    });
            filled += length;
            next += length;
        }
        windowLength = filled;
        window.limit(filled);
        readAhead(chunkStart, next, extent);
        return slice(offset);
    }

    private ByteBuffer slice(long offset) {
        ByteBuffer view = window.duplicate();
        view.limit(windowLength).position((int) (offset - windowOffset));
        return view.slice();
    }

    /** Starts downloading the range after {@code from}, up to {@code extent}, in the background. */
    private void readAhead(long chunkStart, long from, long extent) {
        if (from >= extent) {
            return;
        }
        int length = (int) Math.min(range, extent - from);
        if (spare == null) {
            spare = ByteBuffer.allocate(range);
        }
        ByteBuffer into = spare;
        into.clear();
        aheadChunk = chunkStart;
        aheadOffset = from;
        aheadLength = length;
        ahead = CompletableFuture.runAsync(() -> {
            try {
                blobs.account().call(blobs.store().value(), "reading ahead in chunk " + StoreBlobs.fileName(chunkStart),
                        () -> {
                            into.clear();
                            BlobTransfers.readRange(blobs.chunk(chunkStart), from, length, into);
                            return null;
                        });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, READ_AHEAD);
    }

    /** Waits for the read-ahead; forgets it if it failed (the range is then downloaded directly). */
    private void awaitAhead() {
        try {
            ahead.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            ahead = null;
        }
    }

    /** Forgets the read-ahead, waiting for it first: its buffer is reused by the next one. */
    private void dropAhead() {
        if (ahead != null) {
            try {
                ahead.join();
            } catch (RuntimeException ignored) {
                // a read-ahead nobody needs may fail
            }
            ahead = null;
            aheadChunk = -1;
        }
    }

    /** Bytes of buffers held now (for tests of bounded memory). */
    long bufferedBytes() {
        return window.capacity() + (spare == null ? 0 : spare.capacity());
    }

    /** Forgets the window (the chunk's bytes may have changed: a store deleted and created again). */
    void invalidate() {
        dropAhead();
        chunk = -1;
        windowLength = 0;
    }

    @Override
    public void close() {
        invalidate();
    }
}
