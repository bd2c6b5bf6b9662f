package io.dataplatform.store.log;

import io.dataplatform.store.CommitWaiters;

import java.util.function.Supplier;

/**
 * Where a reader finds the waiters its {@link io.dataplatform.store.StoreReader#commitAfter} waits
 * join: the engine's, inside the writing process (woken by its commits), or a watcher's for a
 * reader in another process. A reader asks on its first wait and releases the source when it
 * closes. Implementations are thread-safe.
 */
public interface CommitWaitSource {

    /** The store's waiters; may throw if the store can no longer be waited on. */
    CommitWaiters waiters();

    /** The reader is closed: it waits no more. */
    void release();

    /** A source that needs no release. */
    static CommitWaitSource of(Supplier<CommitWaiters> waiters) {
        return new CommitWaitSource() {
            @Override
            public CommitWaiters waiters() {
                return waiters.get();
            }

            @Override
            public void release() {
                // nothing held per reader
            }
        };
    }
}
