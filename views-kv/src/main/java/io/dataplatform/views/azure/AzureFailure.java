package io.dataplatform.views.azure;

import com.azure.storage.blob.models.BlobStorageException;
import java.io.IOException;

/**
 * A failed call to Azure Blob Storage, saying whether it is transient (worth repeating: a 5xx,
 * 408 or 429 answer, a timeout, a connection that failed) or not (a 4xx, a lost writer lease, a
 * blob changed by another writer). Immutable.
 */
class AzureFailure extends IOException {

    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;

    AzureFailure(String message, Throwable cause, boolean transientFailure) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** A failure no retry can mend. */
    static AzureFailure permanent(String message) {
        return new AzureFailure(message, null, false);
    }

    /** {@code failure} of the call doing {@code what}, classified. */
    static AzureFailure of(String what, RuntimeException failure) {
        if (failure instanceof BlobStorageException storage) {
            int status = storage.getStatusCode();
            boolean retry = status == 408 || status == 429 || status >= 500;
            return new AzureFailure(what + " failed: HTTP " + status + " " + storage.getErrorCode(), storage, retry);
        }
        // timeouts and connection failures surface as runtime exceptions wrapping them
        return new AzureFailure(what + " failed: " + failure, failure, true);
    }

    /** The HTTP status of the answer, or 0 if there was none. */
    static int status(RuntimeException failure) {
        return failure instanceof BlobStorageException storage ? storage.getStatusCode() : 0;
    }

    boolean isTransient() {
        return transientFailure;
    }
}
