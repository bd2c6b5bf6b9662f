package io.dataplatform.store;

/**
 * Fresh storage locations of one backend, for the engine contracts ({@link StoreEngineContract},
 * {@link EngineCommitWaitContract}): each test gets an empty location of its own, and may open
 * engines on it one after another (an engine opened after another was closed sees its stores).
 */
@FunctionalInterface
public interface EngineLocations {

    /** A new, empty location. */
    Location create() throws Exception;

    /** One location: where a test's stores live. */
    interface Location extends AutoCloseable {

        /** Opens an engine on the location; the caller closes it before opening another. */
        StoreEngine open(EngineOptions options);

        /** Removes the location and what is in it (after the test). */
        @Override
        default void close() throws Exception {
        }
    }
}
