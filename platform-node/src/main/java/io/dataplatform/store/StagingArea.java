package io.dataplatform.store;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * The only place batches may be imported from ({@link StoreEngine#importStaged}): a directory, a
 * blob container. A staged batch is named by a location relative to the area, a path of plain
 * names separated by {@code /}; every backend refuses a location that could leave the area
 * ({@code ..}, {@code .}, absolute paths, control characters, and for files symbolic links).
 * Thread-safe.
 */
public interface StagingArea {

    /** Where the area is, for messages and logs (a path, a container name; never a secret). */
    String describe();

    /**
     * The staged batch named by {@code location}.
     *
     * @throws InvalidInputException naming the rule the location breaks, or if no batch is there
     */
    StagedBatch batch(String location);

    /**
     * Creates (or replaces) the batch named by {@code location}, for a writer that can reach the
     * area (a client beside the node, a test): write it with
     * {@link StagedBatchWriter#create(StagingArea, String)} and close it before asking for its import.
     *
     * @throws InvalidInputException naming the rule the location breaks
     */
    WritableByteChannel create(String location) throws IOException;

    /**
     * Removes the batch named by {@code location} if it is there.
     *
     * @return true if it was there
     * @throws InvalidInputException naming the rule the location breaks
     */
    boolean delete(String location) throws IOException;

    /** True if {@code batch} was found in this area (the engine imports from its own area only). */
    boolean contains(StagedBatch batch);
}
