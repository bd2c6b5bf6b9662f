package io.dataplatform.store.azure;

import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.DownloadRetryOptions;
import com.azure.storage.blob.specialized.BlobClientBase;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Moving bytes between blobs and {@link ByteBuffer}s without intermediate copies of whole ranges:
 * a download writes straight into the caller's buffer, an upload reads straight from one (and can
 * be replayed, so that the SDK may retry it). Calls are raw SDK calls: callers wrap them in
 * {@link BlobAccount#call}. Stateless.
 */
final class BlobTransfers {

    private BlobTransfers() {
    }

    /**
     * Downloads {@code length} bytes of {@code blob} from {@code offset} into {@code into} at its
     * position (which advances). The range must lie within the blob.
     */
    static void readRange(BlobClientBase blob, long offset, int length, ByteBuffer into) {
        if (length == 0) {
            return;
        }
        int start = into.position();
        ByteBufferOutputStream out = new ByteBufferOutputStream(into);
        blob.downloadStreamWithResponse(out, new BlobRange(offset, (long) length),
                new DownloadRetryOptions().setMaxRetryRequests(2), null, false, null, Context.NONE);
        if (into.position() - start != length) {
            throw new IllegalStateException("a download of " + length + " bytes from " + offset + " of "
                    + blob.getBlobName() + " returned " + (into.position() - start));
        }
    }

    /** The whole content of a small blob. */
    static byte[] readAll(BlobClientBase blob) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        blob.downloadStream(out);
        return out.toByteArray();
    }

    /** The bytes of {@code buffer} from its position to its limit, as a replayable stream (the buffer is not moved). */
    static InputStream stream(ByteBuffer buffer) {
        return new ByteBufferInputStream(buffer.duplicate());
    }

    /** Writes into a buffer; fails if the buffer is full (a range larger than asked for). */
    private static final class ByteBufferOutputStream extends OutputStream {
        private final ByteBuffer into;

        ByteBufferOutputStream(ByteBuffer into) {
            this.into = into;
        }

        @Override
        public void write(int b) {
            into.put((byte) b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            into.put(bytes, offset, length);
        }
    }

    /** Reads a buffer; supports mark and reset, so that a request can be sent again. */
    private static final class ByteBufferInputStream extends InputStream {
        private final ByteBuffer from;
        private int mark;

        ByteBufferInputStream(ByteBuffer from) {
            this.from = from;
            this.mark = from.position();
        }

        @Override
        public int read() {
            return from.hasRemaining() ? from.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (!from.hasRemaining()) {
                return -1;
            }
            int n = Math.min(length, from.remaining());
            from.get(bytes, offset, n);
            return n;
        }

        @Override
        public int available() {
            return from.remaining();
        }

        @Override
        public long skip(long n) {
            int skipped = (int) Math.max(0, Math.min(n, from.remaining()));
            from.position(from.position() + skipped);
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return true;
        }

        @Override
        public synchronized void mark(int limit) {
            mark = from.position();
        }

        @Override
        public synchronized void reset() {
            from.position(mark);
        }
    }
}
