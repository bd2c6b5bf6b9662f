package io.dataplatform.store;

/**
 * Reads one store's committed events in batches, lazily, from any record boundary. Each read
 * stops at the commit pointer as it was when that read started; events committed later are
 * returned by later reads. Memory stays flat: the reader reuses one buffer whatever the store's
 * size. Every record's checksum is verified; damage raises {@link CorruptLogException}.
 *
 * <p>Not thread-safe: one reader per thread. Readers may run in any process, beside the node.
 */
public interface StoreReader extends AutoCloseable {

    StoreId store();

    /**
     * The store's incarnation: 32 lowercase hexadecimal characters, created with the store and
     * never changed; a store deleted and created again has a new one. Save it with a position: a
     * position only means something within its incarnation. Null only for a store written before
     * incarnations existed that no node of this release has opened yet.
     *
     * @throws StoreRecreatedException if the store was deleted and created again since this
     *                                 reader was opened (readers that can tell)
     */
    String incarnation();

    /** The commit pointer as it is now. */
    CommitPointer commitPointer();

    /**
     * Reads up to {@code maxEvents} events and about {@code maxBytes} bytes of records from
     * {@code from} (a batch holds at least one event if any is committed past {@code from}, however
     * large). Returns an empty batch when {@code from} is the commit position. The batch is valid
     * until the next call.
     *
     * @throws InvalidPositionException if {@code from} is negative, past the commit pointer, or not
     *                                  on a record boundary
     * @throws CorruptLogException      if committed bytes do not verify
     * @throws StoreRecreatedException  if the store is no longer the incarnation this reader was
     *                                  opened for (deleted and created again meanwhile)
     */
    EventBatch read(long from, int maxEvents, int maxBytes);

    /** {@link #read(long, int, int)} with the reader's default limits. */
    default EventBatch read(long from) {
        return read(from, ReadLimits.DEFAULT_MAX_EVENTS, ReadLimits.DEFAULT_MAX_BYTES);
    }

    @Override
    void close();
}
