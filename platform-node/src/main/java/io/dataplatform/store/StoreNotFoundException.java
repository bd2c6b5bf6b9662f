package io.dataplatform.store;

/** The store does not exist (it is created by its first append). */
public final class StoreNotFoundException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreNotFoundException(String store) {
        super(store, "store '" + store + "' does not exist");
    }
}
