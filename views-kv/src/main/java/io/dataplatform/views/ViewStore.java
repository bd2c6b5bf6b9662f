package io.dataplatform.views;

import java.util.List;

/**
 * An open view store: containers of views over one backend, behind one cache bounded by bytes.
 * Obtain one from {@link ViewStores#open}. Thread-safe.
 */
public interface ViewStore extends AutoCloseable {

    /**
     * The container {@code name} for reading and writing, created if needed. The first call for a
     * name takes the container's writer lock (held until {@link #close}) and re-applies any
     * journal entry a crash left behind; later calls return the same container.
     *
     * @param name 3 to 48 characters of {@code a-z 0-9 -}, starting and ending with a letter or
     *     digit, no two dashes in a row (as store ids and Azure containers)
     * @throws InvalidViewKeyException if the name breaks that rule
     * @throws ViewStoreException if another process (or another store in this JVM) writes it
     */
    ViewContainer container(String name);

    /**
     * The container {@code name} for reading only, without taking its lock; this is how a process
     * reads views another process writes. It does not create the container: a missing one reads
     * as empty.
     */
    ViewReader reader(String name);

    /**
     * The names of every container at this store's location (made by a writer and not dropped),
     * sorted; containers other processes write are included.
     *
     * @throws ViewStoreException if the location cannot be listed
     */
    List<String> containers();

    /**
     * Deletes the container {@code name}: every view and its checkpoint (and its journal). If this
     * store has it open, for writing or reading, it is released first without writing the views
     * still waiting to be written (they would be deleted anyway); handles obtained before must not
     * be used again. Takes the container's writer lock while it deletes, so it fails if another
     * process (or store) writes the container. Safe against a crash midway: the container is then
     * either whole or gone (empty, no checkpoint), never a part of it that could pass for an older
     * state. A later {@link #container} call creates it anew, empty. Dropping a missing container
     * does nothing.
     *
     * @throws InvalidViewKeyException if the name breaks the container name rule
     * @throws ViewStoreException if another writer holds the container or deleting failed
     */
    void dropContainer(String name);

    /**
     * Closes this store's handles of the container {@code name} without closing the store: a
     * writer's views still waiting are written and made durable (as {@link #close} does for every
     * container), its writer lock is released (another process may take it), and its cached views
     * are forgotten. Handles obtained before must not be used again; a later {@link #container} or
     * {@link #reader} call opens it anew. Does nothing if this store has not opened it.
     *
     * @throws ViewStoreException as {@link #close}, for this container
     */
    void releaseContainer(String name);

    /**
     * Writes every view still waiting to be written, makes every write durable without the journal,
     * drops the journals, releases the writer locks and the backend. Containers must not be used
     * afterwards. Idempotent.
     *
     * @throws ViewStoreException if writing views behind the commits failed and no commit has
     *     reported it yet (the journal keeps those commits; reopening applies them)
     */
    @Override
    void close();
}
