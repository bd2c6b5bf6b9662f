package io.dataplatform.views.spi;

import java.io.IOException;

/**
 * An opened backend: a namespace of containers. Thread-safe.
 */
public interface ViewBackend extends AutoCloseable {

    /**
     * Opens the container {@code name} (already validated). A writer creates the container if
     * needed and takes its exclusive writer lock, failing with an {@link IOException} (not
     * transient) if another writer holds it; a reader takes no lock and must tolerate a
     * container that does not exist yet.
     */
    BackendContainer openContainer(String name, boolean writer) throws IOException;

    /**
     * Whether {@code failure} is transient, so that repeating the same call may succeed (a rename
     * racing a reader on some systems, a busy file, a 5xx or timeout from a service).
     */
    boolean isTransient(IOException failure);

    /** Releases the backend. Containers must have been closed first. */
    @Override
    void close() throws IOException;
}
