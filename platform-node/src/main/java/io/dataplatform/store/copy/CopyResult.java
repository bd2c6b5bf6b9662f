package io.dataplatform.store.copy;

import io.dataplatform.store.CommitPointer;

/**
 * What a {@link StoreCopy} did.
 *
 * @param pointer       the commit pointer copied: the source's when the copy started, the target's now
 * @param incarnation   the incarnation both stores have
 * @param resumedFrom   the position an unfinished earlier copy had reached (0 for a fresh copy)
 * @param events        records copied by this run (all verified)
 * @param bytes         bytes of records copied by this run
 * @param chunks        chunks of the target store
 * @param nanos         how long the copy took
 */
public record CopyResult(CommitPointer pointer, String incarnation, long resumedFrom, long events, long bytes,
                         int chunks, long nanos) {
}
