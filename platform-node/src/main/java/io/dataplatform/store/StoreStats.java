package io.dataplatform.store;

/**
 * Size and state of one store: bytes its chunk files take on storage (the log, plus the zeros a
 * busy store preallocates ahead of it, so at least {@code commitPosition}), chunk count, last
 * version, commit position (the log's length), and the store's incarnation.
 */
public record StoreStats(StoreId store, long bytes, int chunks, long lastVersion, long commitPosition,
                         String incarnation) {
}
