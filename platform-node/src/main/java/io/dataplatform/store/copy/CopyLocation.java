package io.dataplatform.store.copy;

import io.dataplatform.rules.StorageLocation;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.InvalidInputException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.log.LogSpace;

import java.io.IOException;
import java.util.NavigableSet;

/**
 * One end of a {@link StoreCopy}: a storage location (a directory, an Azure connection string with
 * an optional {@code |container}) seen through its backend. The source side reads a store with the
 * backend's direct reader and lists its chunks; the target side creates the store with the
 * source's incarnation and writes it through the backend's own log ({@link #space()}), the same
 * code the node writes with. Implementations live beside their backend ({@code store.file},
 * {@code store.azure}); thread-safe.
 */
public interface CopyLocation extends AutoCloseable {

    /** The location for messages (secrets masked). */
    String describe();

    /** A direct reader of a store of this location. */
    StoreReader openReader(StoreId store);

    /** Start positions of the store's chunks, in order (every chunk there is, committed or not). */
    NavigableSet<Long> chunkStarts(StoreId store) throws IOException;

    /** The store's incarnation, or null if it has none (or nothing of it is there). */
    String incarnation(StoreId store) throws IOException;

    /**
     * Creates an empty store whose incarnation is {@code incarnation}, in the order a store is
     * created (first chunk, incarnation, and last the commit pointer at 0), refusing if anything of
     * the store is there.
     */
    void createStore(StoreId store, String incarnation) throws IOException;

    /** The stores of this location, to open, recover, write and delete them as the node does. */
    LogSpace space();

    @Override
    void close();

    /**
     * The copy end of a location string: a directory path is files, an Azure connection string
     * blobs.
     *
     * @param options the engine settings the target is written with (durability)
     * @throws InvalidInputException if the location is of no kind a store can live in
     */
    static CopyLocation open(String location, EngineOptions options) {
        StorageLocation parsed;
        try {
            parsed = StorageLocation.parse(location);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(null, e.getMessage());
        }
        return switch (parsed.kind()) {
            case FILE -> io.dataplatform.store.file.FileCopyLocation.open(parsed.directory(), options);
            case AZURE -> io.dataplatform.store.azure.BlobCopyLocation.open(location, options);
            default -> throw new InvalidInputException(null, "the location '" + parsed
                    + "' is not a storage location for stores (a directory or an Azure connection string)");
        };
    }
}
