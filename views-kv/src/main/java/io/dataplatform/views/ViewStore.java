package io.dataplatform.views;

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
