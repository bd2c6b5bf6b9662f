package io.dataplatform.store;

/**
 * A storage backend plugin (files, Azure blobs), found with {@link java.util.ServiceLoader} and
 * chosen by the storage location string it accepts. Implementations are thread-safe.
 */
public interface StorageProvider {

    /** Short name used in configuration and logs: {@code file}, {@code azure}. */
    String name();

    /** True if this backend understands the location (a directory path, a connection string). */
    boolean accepts(String location);

    /** Opens every store of the location for writing; the caller must be its only writer. */
    StoreEngine openEngine(String location, EngineOptions options);

    /**
     * The staging area of the location, for a process beside the node that stages batches for
     * {@link StoreEngine#importStaged} (the same area the node's engine imports from).
     *
     * @throws UnsupportedOperationException if this backend has no staging area clients can reach
     */
    default StagingArea openStagingArea(String location) {
        throw new UnsupportedOperationException("the " + name() + " backend has no staging area for clients");
    }

    /** Opens one store read-only, from any process, beside the node that writes it. */
    StoreReader openReader(String location, StoreId store);

    /**
     * {@link #openReader(String, StoreId)} for a caller that resumes a position saved against
     * {@code expectedIncarnation} (null for any).
     *
     * @throws StoreRecreatedException if the store has another incarnation
     */
    default StoreReader openReader(String location, StoreId store, String expectedIncarnation) {
        StoreReader reader = openReader(location, store);
        if (expectedIncarnation != null && !expectedIncarnation.equals(reader.incarnation())) {
            String actual = reader.incarnation();
            reader.close();
            throw new StoreRecreatedException(store.value(), expectedIncarnation, actual);
        }
        return reader;
    }
}
