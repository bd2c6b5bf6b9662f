package io.dataplatform.store.log;

import io.dataplatform.store.StoreClosedException;
import io.dataplatform.store.StoreException;
import io.dataplatform.store.StoreFailedException;
import io.dataplatform.store.StoreId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether one store takes writes, and if not why: closed for good (deleted, reopened, engine
 * closed), refusing writes until it is reopened (a sync failed, a rollback failed: the page cache
 * or the pointer on storage can no longer be trusted), or damaged (it cannot be opened: committed data
 * missing, a format this release does not read). Damage is cleared by the next open that succeeds;
 * a refusal only by reopening (a new store object). (A store this process no longer holds is none
 * of these: its writer drops the log and opens it again on the next write.) Knows nothing of the
 * storage backend.
 *
 * <p>Thread-safe: states are volatile; the writer sets them, anyone reads them.
 */
final class StoreHealth {

    private static final Logger LOG = LoggerFactory.getLogger(StoreHealth.class);

    private final StoreId id;
    /** Why this store was closed (deleted, engine closed), or null. */
    private volatile String closed;
    /** Why this store refuses writes until reopened (a failed sync or rollback), or null. */
    private volatile String refusal;
    /** Why the last attempt to open the store failed, or null. */
    private volatile StoreException damage;

    StoreHealth(StoreId id) {
        this.id = id;
    }

    /** The error a write meets now, or null if the store takes writes. */
    RuntimeException refused() {
        String why = closed;
        if (why != null) {
            return new StoreClosedException(id.value(), why);
        }
        String failed = refusal;
        return failed == null ? null : new StoreFailedException(id.value(), failed);
    }

    /** Why the store refuses writes until reopened, or null if it takes them (or is closed). */
    String refusal() {
        return closed == null ? refusal : null;
    }

    /** True while no failure stops the writer from touching the store's storage. */
    boolean takesWrites() {
        return refusal == null;
    }

    /** From now on the store refuses writes until it is reopened (the first reason is kept). */
    void refuseWrites(String why) {
        if (refusal == null) {
            refusal = "store '" + id + "' refuses writes until it is reopened: " + why;
            LOG.error("{}", refusal);
        }
    }

    /** Closes the store for good: every later write fails with {@link StoreClosedException}. */
    void close(String reason) {
        closed = reason;
    }

    /** The store opened: it is not damaged (any more). */
    void opened() {
        damage = null;
    }

    /** Opening the store failed with {@code failure}: remembers it (as a {@link StoreException}) and returns it. */
    StoreException damaged(RuntimeException failure) {
        StoreException found = failure instanceof StoreException store ? store
                : new StoreException(id.value(), "store '" + id + "' cannot be opened: " + failure.getMessage(), failure);
        if (damage == null) {
            LOG.error("Store '{}' cannot be opened; it serves neither reads nor writes until it can: {}", id,
                    found.getMessage());
        }
        damage = found;
        return found;
    }

    /** Why the store cannot be opened, or null if it opened (or was never tried). */
    StoreException damage() {
        return closed == null ? damage : null;
    }
}
