package io.dataplatform.store;

/** Base of every error the storage engine raises on purpose. Carries the store it concerns, if any. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String store;

    public StoreException(String store, String message) {
        this(store, message, null);
    }

    public StoreException(String store, String message, Throwable cause) {
        super(message, cause);
        this.store = store;
    }

    /** The store id this error concerns, or null. */
    public String store() {
        return store;
    }
}
