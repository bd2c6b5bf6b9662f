package io.dataplatform.projections;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.StoreId;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Where a runner reads its store: a store reader (direct file reads, HTTP reads from a node, or the
 * engine of this JVM) with the store's incarnation and a wait for the next commit. Open one with
 * {@link StoreSources}. Not thread-safe, like a store reader: one runner thread uses it.
 */
public interface StoreSource extends AutoCloseable {

    StoreId store();

    /** The store's incarnation id (32 lowercase hex characters), or null if the store keeps none. */
    String incarnation();

    /** The commit pointer as it is now. */
    CommitPointer commitPointer();

    /** As {@link io.dataplatform.store.StoreReader#read(long, int, int)}: the batch is valid until the next read. */
    EventBatch read(long from, int maxEvents, int maxBytes);

    /**
     * Completes with the commit pointer as soon as its position is past {@code after}, or with the
     * pointer as it is when {@code timeout} has passed; never exceptionally for a timeout.
     */
    CompletableFuture<CommitPointer> commitAfter(long after, Duration timeout);

    @Override
    void close();
}
