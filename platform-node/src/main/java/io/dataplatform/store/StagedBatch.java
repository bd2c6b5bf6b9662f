package io.dataplatform.store;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;

/**
 * One batch in a {@link StagingArea}: records in the log format (see {@link StagedBatchWriter}),
 * to be appended as one atomic commit by {@link StoreEngine#importStaged}. The engine reads it
 * once, front to back, and consumes it once the import is committed, so that a replayed request
 * finds nothing to import instead of appending the batch twice.
 */
public interface StagedBatch {

    /** Its location relative to the staging area. */
    String location();

    /**
     * Its size in bytes, as it will be read.
     *
     * @throws InvalidInputException if it is no longer there
     */
    long size() throws IOException;

    /**
     * Its bytes from the start, read sequentially; the caller closes the channel.
     *
     * @throws InvalidInputException if it is no longer there
     */
    ReadableByteChannel open() throws IOException;

    /**
     * Removes it after a committed import, as durably as the engine commits (a crash after the
     * import's acknowledgement never brings it back). Nothing if it is already gone.
     */
    void consume() throws IOException;
}
