package io.dataplatform.store;

/** Told of each commit, on the writer's thread: keep it short and never block. */
@FunctionalInterface
public interface CommitListener {
    void committed(StoreId store, CommitPointer pointer);
}
