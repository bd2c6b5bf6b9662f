package io.dataplatform.store;

/** Size and state of one store: bytes of log on storage, chunk count, last version, commit position. */
public record StoreStats(StoreId store, long bytes, int chunks, long lastVersion, long commitPosition) {
}
