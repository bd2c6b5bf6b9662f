package io.dataplatform.store.log;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StagedBatch;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A write waiting in a store's {@link WriterQueue}: an append of events, or the import of a staged batch. */
sealed interface PendingWrite permits PendingWrite.Append, PendingWrite.Import {

    CompletableFuture<AppendResult> future();

    /** Bytes it holds in the queue (records of an append; an import holds none: its batch is staged). */
    long bytes();

    /** Events of one append, {@code bytes} their record size. */
    record Append(List<NewEvent> events, long bytes, CompletableFuture<AppendResult> future) implements PendingWrite {
    }

    /** A staged batch to import as one commit. */
    record Import(StagedBatch batch, CompletableFuture<AppendResult> future) implements PendingWrite {
        @Override
        public long bytes() {
            return 0;
        }
    }
}
