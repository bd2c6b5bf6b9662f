package io.dataplatform.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Committed records found in a chunk file without reading them into memory: {@code count} whole
 * records, {@code length} bytes from {@code offset} of {@code file}, the last ending at
 * {@code next}. The bytes are exactly those a read of the same range returns
 * ({@link EventBatch#rawRecords()}), so the node can send them from the file to a socket with
 * {@code sendfile}. The file is open for reading and belongs to the holder, who closes it; it is
 * the very file whose records were walked, so a store deleted and created again meanwhile cannot
 * swap other bytes in.
 */
public record LocatedRecords(FileChannel file, long offset, long length, int count, long next) implements Closeable {

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException ignored) {
            // opened read-only: nothing to lose
        }
    }
}
