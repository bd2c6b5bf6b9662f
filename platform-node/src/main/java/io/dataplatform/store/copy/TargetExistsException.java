package io.dataplatform.store.copy;

import io.dataplatform.store.StoreException;

/**
 * A copy refused because its target store is there already and is not an unfinished copy of the
 * source: a copy never overwrites a store.
 */
public final class TargetExistsException extends StoreException {

    private static final long serialVersionUID = 1L;

    public TargetExistsException(String store, String message) {
        super(store, message);
    }
}
