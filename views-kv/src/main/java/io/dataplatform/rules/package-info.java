/**
 * Rules that event stores, view stores and their clients must apply the same way: what kind of
 * backend a storage location string points at ({@link io.dataplatform.rules.StorageLocation}),
 * which names a store or a view container may have ({@link io.dataplatform.rules.StorageName}),
 * and how long to pause between retries of a call that failed transiently
 * ({@link io.dataplatform.rules.Backoff}).
 *
 * <p>It lives in {@code views-kv} because that is the leaf library: {@code platform-node} depends on
 * it, so both modules (and everything above them) see one copy. Nothing here knows of views or of
 * stores; the package depends on the JDK only.
 */
package io.dataplatform.rules;
