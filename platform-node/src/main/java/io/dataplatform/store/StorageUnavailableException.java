package io.dataplatform.store;

/**
 * The storage could not be reached (an Azure account down or unreachable, requests timing out)
 * after the backend's retries ran out: the operation did not take effect, and the same request may
 * succeed later. The node answers {@code 503 storage_unavailable} with {@code Retry-After}, and
 * keeps serving the stores it can reach.
 */
public final class StorageUnavailableException extends StoreException {
    private static final long serialVersionUID = 1L;

    /**
     * @param store the store concerned, or null for the whole location
     * @param what  what was being done ("appending to chunk 00000000000000000000.dat")
     */
    public StorageUnavailableException(String store, String what, Throwable cause) {
        super(store, "the storage " + (store == null ? "" : "of store '" + store + "' ")
                + "cannot be reached (" + what + "): " + describe(cause), cause);
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "no answer";
        }
        String message = cause.getMessage();
        if (message != null) {
            int newline = message.indexOf('\n');
            message = newline < 0 ? message : message.substring(0, newline);
        }
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** The first {@link StorageUnavailableException} in {@code failure}'s cause chain, or null. */
    public static StorageUnavailableException in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StorageUnavailableException unavailable) {
                return unavailable;
            }
        }
        return null;
    }
}
