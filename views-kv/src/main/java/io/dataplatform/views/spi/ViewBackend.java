package io.dataplatform.views.spi;

import java.io.IOException;
import java.util.List;

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
     * The names of the containers that exist at this location, in any order; names that are not
     * valid container names (a backend's own files) may be included, the core filters them out.
     */
    List<String> containers() throws IOException;

    /**
     * Deletes the container {@code name} (already validated): every document, the checkpoint and
     * the journal. Takes the container's writer lock for the time it takes, failing with an
     * {@link IOException} (not transient) if another writer holds it; the caller has closed its
     * own handles of the container first. Safe against a crash midway: afterwards the container
     * is either whole or gone, never a part of it that could pass for an older state. Dropping a
     * container that does not exist does nothing.
     */
    void dropContainer(String name) throws IOException;

    /**
     * Whether {@code failure} is transient, so that repeating the same call may succeed (a rename
     * racing a reader on some systems, a busy file, a 5xx or timeout from a service).
     */
    boolean isTransient(IOException failure);

    /** Releases the backend. Containers must have been closed first. */
    @Override
    void close() throws IOException;
}
