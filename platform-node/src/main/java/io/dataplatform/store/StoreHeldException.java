package io.dataplatform.store;

/**
 * Another writer holds the store: on storage shared by several processes (Azure blobs) each store
 * has one writer at a time, which holds it (a lease) while it runs. Nothing was written. The store
 * becomes writable here once the holder stops (it releases the store) or dies (its hold expires).
 */
public final class StoreHeldException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final String holder;

    /**
     * @param holder who holds it, as the backend knows it (a node name, a lease id), or null if unknown
     */
    public StoreHeldException(String store, String holder, Throwable cause) {
        super(store, "store '" + store + "' is written by another node"
                + (holder == null ? "" : " (" + holder + ")") + "; it can be written here once that node stops"
                + " or its hold expires", cause);
        this.holder = holder;
    }

    /** Who holds the store, or null if the backend does not know. */
    public String holder() {
        return holder;
    }
}
