package io.dataplatform.store.log;

import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.InvalidInputException;
import io.dataplatform.store.RecordFormat;
import io.dataplatform.store.StagedBatch;
import io.dataplatform.store.StoreId;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.zip.CRC32C;

/**
 * Copies a staged batch (records in the log format, written by
 * {@link io.dataplatform.store.StagedBatchWriter}), read front to back, into a store's commit in
 * progress: each record is verified, checked against the engine's
 * limits, and re-stamped with the next store version, the commit time and, on the last one, the
 * commit flag. Memory stays bounded whatever the batch's size. Not thread-safe.
 */
final class StagedBatchImport {

    private static final int READ_BUFFER = 4 * 1024 * 1024;

    private final StoreId store;
    private final StagedBatch batch;
    private final EngineOptions options;
    private final GroupEncoder encoder;
    private final CRC32C crc = new CRC32C();
    /** Bytes read from the batch so far. */
    private long read;

    StagedBatchImport(StoreId store, StagedBatch batch, EngineOptions options, GroupEncoder encoder) {
        this.store = store;
        this.batch = batch;
        this.options = options;
        this.encoder = encoder;
    }

    /** Copies every record; returns the store version of the last one. */
    long copy(long lastVersion, long timestamp) throws IOException {
        long size = sizeOf();
        try (ReadableByteChannel in = openBatch()) {
            if (size == 0) {
                throw invalid(0, "the staged batch is empty");
            }
            ByteBuffer buffer = encoder.importBuffer(READ_BUFFER);
            long fileOffset = 0;
            long version = lastVersion;
            ByteBuffer viewSource = null;
            ByteBuffer view = null;
            buffer.limit(0);
            while (fileOffset < size) {
                if (buffer.remaining() < RecordFormat.PREFIX_SIZE) {
                    buffer = refill(in, buffer, encoder.importBuffer(RecordFormat.PREFIX_SIZE), fileOffset, size);
                }
                int length = buffer.getInt(buffer.position());
                if (length < RecordFormat.MIN_LENGTH || length > RecordFormat.MAX_LENGTH) {
                    throw invalid(fileOffset, "impossible record length " + length);
                }
                int recordSize = RecordFormat.PREFIX_SIZE + length;
                if (fileOffset + recordSize > size) {
                    throw invalid(fileOffset, "the last record is cut short");
                }
                if (buffer.remaining() < recordSize) {
                    buffer = refill(in, buffer, encoder.importBuffer(recordSize), fileOffset, size);
                }
                int at = buffer.position();
                if (viewSource != buffer) {
                    viewSource = buffer;
                    view = buffer.duplicate();
                }
                String problem = RecordFormat.verify(crc, buffer, view, at);
                if (problem != null) {
                    throw invalid(fileOffset, problem);
                }
                int dataSize = recordSize - RecordFormat.HEADER_SIZE - RecordFormat.streamIdLength(buffer, at);
                if (dataSize > options.maxEventSize()) {
                    throw invalid(fileOffset, "event data of " + dataSize + " bytes is over the limit of "
                            + options.maxEventSize());
                }
                fileOffset += recordSize;
                encoder.putRestamped(buffer, recordSize, ++version, timestamp, fileOffset == size);
                buffer.position(at + recordSize);
            }
            return version;
        }
    }

    private long sizeOf() throws IOException {
        try {
            return batch.size();
        } catch (InvalidInputException e) {
            throw new InvalidInputException(store.value(), e.getMessage());
        }
    }

    private ReadableByteChannel openBatch() throws IOException {
        try {
            return batch.open();
        } catch (InvalidInputException e) {
            throw new InvalidInputException(store.value(), e.getMessage());
        }
    }

    /**
     * The bytes from {@code fileOffset} on, in {@code target}: what {@code current} holds unread
     * (the bytes from {@code fileOffset} on) is moved to its start (they may be the same buffer),
     * then it is filled from the batch, up to its capacity or the batch's end.
     */
    private ByteBuffer refill(ReadableByteChannel in, ByteBuffer current, ByteBuffer target, long fileOffset,
                              long size) throws IOException {
        assert read - current.remaining() == fileOffset;
        if (current == target) {
            target.compact();
        } else {
            target.clear();
            target.put(current);
        }
        // never past the size the batch had: a batch cut short is told by the size, not by the read
        target.limit((int) Math.min(target.capacity(), target.position() + (size - read)));
        while (target.hasRemaining()) {
            int n = in.read(target);
            if (n < 0) {
                throw invalid(read, "the staged batch ended before its " + size + " bytes (it shrank while it was"
                        + " imported)");
            }
            read += n;
        }
        target.flip();
        return target;
    }

    private InvalidInputException invalid(long offset, String problem) {
        return new InvalidInputException(store.value(), "staged batch '" + batch.location() + "', record at byte "
                + offset + ": " + problem);
    }
}
