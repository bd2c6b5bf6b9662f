package io.dataplatform.store;

/**
 * Back-pressure: the store's writer queue holds as many bytes as it may. Nothing was written;
 * the caller should retry later.
 */
public final class QueueFullException extends StoreException {
    private static final long serialVersionUID = 1L;

    public QueueFullException(String store, long queuedBytes, long limitBytes) {
        super(store, "the writer queue of store '" + store + "' is full (" + queuedBytes + " of "
                + limitBytes + " bytes queued); retry later");
    }
}
