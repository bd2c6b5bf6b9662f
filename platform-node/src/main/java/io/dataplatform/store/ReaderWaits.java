package io.dataplatform.store;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The commit waits a {@link StoreReader} has started and that have not completed, for
 * {@link StoreReader#commitAfter}: a wait asked for after the reader closed fails with
 * {@link StoreClosedException}, and closing cancels every wait still pending (a wait that races
 * with the close is cancelled too). Thread-safe: {@code commitAfter} may be called from any thread.
 */
public final class ReaderWaits {
    private final String store;
    private final Set<CompletableFuture<CommitPointer>> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public ReaderWaits(String store) {
        this.store = store;
    }

    /**
     * The wait {@code start} begins, kept until it completes; a failed future if the reader is
     * closed or {@code start} throws.
     */
    public CompletableFuture<CommitPointer> start(Supplier<CompletableFuture<CommitPointer>> start) {
        if (closed) {
            return CompletableFuture.failedFuture(new StoreClosedException(store,
                    "this reader of store '" + store + "' is closed"));
        }
        CompletableFuture<CommitPointer> wait;
        try {
            wait = start.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!wait.isDone()) {
            pending.add(wait);
            wait.whenComplete((pointer, error) -> pending.remove(wait));
            if (closed) {
                wait.cancel(false);
            }
        }
        return wait;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Refuses later waits and cancels those pending. */
    public void close() {
        closed = true;
        for (CompletableFuture<CommitPointer> wait : pending) {
            wait.cancel(false);
        }
    }
}
