package io.dataplatform.store;

/**
 * The store refuses writes until it is reopened: a sync failed (after which the operating system's
 * page cache can no longer be trusted to match the disk), or a failed commit could not be rolled
 * back. Reads of what was committed before still work. Reopen the store
 * ({@link StoreEngine#reopen}) or restart the node once the disk is sound.
 */
public final class StoreFailedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreFailedException(String store, String reason) {
        super(store, reason);
    }
}
