package io.dataplatform.store;

/**
 * Size and state of one store: bytes its chunk files take on storage (the log, plus space a busy
 * store preallocates ahead of it), chunk count, last version, commit position (the log's length).
 */
public record StoreStats(StoreId store, long bytes, int chunks, long lastVersion, long commitPosition) {
}
