package io.dataplatform.store;

/**
 * This process no longer holds the store it was writing (its lease expired or was broken, on
 * storage shared by several processes): the commit in progress was not committed, and this
 * process's log of the store moves its commit pointer no more. The engine opens the store again on
 * the next write, which succeeds if it can take the store back and otherwise fails with
 * {@link StoreHeldException}.
 */
public final class OwnershipLostException extends StoreException {
    private static final long serialVersionUID = 1L;

    public OwnershipLostException(String store, String why, Throwable cause) {
        super(store, "this node no longer holds store '" + store + "' (" + why + "); the write was not committed",
                cause);
    }
}
