package io.dataplatform.store;

/** Told of each group commit, on the writer's thread: keep it short and never block. */
@FunctionalInterface
public interface CommitListener {
    void committed(Commit commit);

    /**
     * One group commit of a store: the new commit pointer, how many appends (requests) and events
     * it held, the bytes of records written, and how long writing and syncing took.
     */
    record Commit(StoreId store, CommitPointer pointer, int appends, int events, long bytes,
                  long writeNanos, long syncNanos) {
    }
}
