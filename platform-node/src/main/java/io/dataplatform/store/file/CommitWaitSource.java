package io.dataplatform.store.file;

import io.dataplatform.store.CommitWaiters;

import java.util.function.Supplier;

/**
 * Where a {@link FileStoreReader} finds the waiters its commit waits join: the engine's, inside
 * the node's JVM, or the process's {@link CommitPointerWatcher} for a reader of another process's
 * store. A reader asks on its first wait and releases the source when it closes.
 */
interface CommitWaitSource {

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
