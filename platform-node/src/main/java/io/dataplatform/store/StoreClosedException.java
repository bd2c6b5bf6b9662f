package io.dataplatform.store;

/** The engine or store was closed, deleted or failed before the operation could complete. */
public final class StoreClosedException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StoreClosedException(String store, String message) {
        super(store, message);
    }

    public StoreClosedException(String store, String message, Throwable cause) {
        super(store, message, cause);
    }
}
