package io.dataplatform.store;

/**
 * The disk holding a store is full. The commit that met it was rolled back, so nothing of it is
 * visible; appends succeed again once space returns.
 */
public final class StorageFullException extends StoreException {
    private static final long serialVersionUID = 1L;

    public StorageFullException(String store, Throwable cause) {
        super(store, "no space left on the disk of store '" + store + "'; nothing was written, retry once space is freed",
                cause);
    }

    /** True if {@code failure} (or one of its causes) is the operating system saying the disk is full. */
    public static boolean isDiskFull(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (t instanceof java.io.IOException && message != null
                    && (message.contains("No space left on device") || message.contains("not enough space on the disk")
                    || message.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}
