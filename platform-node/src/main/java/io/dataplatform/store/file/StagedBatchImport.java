package io.dataplatform.store.file;

import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.InvalidInputException;
import io.dataplatform.store.RecordFormat;
import io.dataplatform.store.StoreId;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Copies a staged batch file (records in the log format, written by {@link StagedBatchWriter})
 * into a store's commit in progress: each record is verified, checked against the engine's
 * limits, and re-stamped with the next store version, the commit time and, on the last one, the
 * commit flag. Memory stays bounded whatever the file's size. Not thread-safe.
 */
final class StagedBatchImport {

    private static final int READ_BUFFER = 4 * 1024 * 1024;

    private final StoreId store;
    private final Path file;
    private final EngineOptions options;
    private final GroupEncoder encoder;
    private final CRC32C crc = new CRC32C();

    StagedBatchImport(StoreId store, Path file, EngineOptions options, GroupEncoder encoder) {
        this.store = store;
        this.file = file;
        this.options = options;
        this.encoder = encoder;
    }

    /** Copies every record; returns the store version of the last one. */
    long copy(long lastVersion, long timestamp) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
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
                    buffer = refill(in, encoder.importBuffer(RecordFormat.PREFIX_SIZE), fileOffset, size);
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
                    buffer = refill(in, encoder.importBuffer(recordSize), fileOffset, size);
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
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(store.value(), "no staged batch at " + file);
        }
    }

    /** Reads the file from {@code fileOffset} into {@code target}, as much as it holds. */
    private static ByteBuffer refill(FileChannel in, ByteBuffer target, long fileOffset, long size)
            throws IOException {
        target.clear();
        long at = fileOffset;
        int wanted = (int) Math.min(target.capacity(), size - fileOffset);
        target.limit(wanted);
        while (target.hasRemaining()) {
            int n = in.read(target, at);
            if (n < 0) {
                break;
            }
            at += n;
        }
        target.flip();
        return target;
    }

    private InvalidInputException invalid(long offset, String problem) {
        return new InvalidInputException(store.value(), "staged batch " + file.getFileName() + ", record at byte "
                + offset + ": " + problem);
    }
}
