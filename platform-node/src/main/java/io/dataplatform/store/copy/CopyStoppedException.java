package io.dataplatform.store.copy;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.StoreException;

/** A copy stopped on request before it was done: the target holds the commits up to {@link #reached()}. */
public final class CopyStoppedException extends StoreException {

    private static final long serialVersionUID = 1L;
    private final transient CommitPointer reached;

    public CopyStoppedException(String store, CommitPointer reached) {
        super(store, "the copy of store '" + store + "' was stopped at " + reached + "; run it again to resume");
        this.reached = reached;
    }

    /** The target's commit pointer when the copy stopped. */
    public CommitPointer reached() {
        return reached;
    }
}
