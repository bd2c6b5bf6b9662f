package io.dataplatform.projections;

import io.dataplatform.client.NodeCredentials;
import io.dataplatform.client.PlatformClient;
import io.dataplatform.store.Storage;
import io.dataplatform.store.StoreEngine;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;

import java.net.URI;

/**
 * Opens the store reader a runner reads with, for a position saved against an incarnation of the
 * store: direct reads of the store's files (how projections scale: no load on the node), HTTP reads
 * from a node, or the engine of this JVM. Every reader waits for commits with
 * {@link StoreReader#commitAfter} (a watch of the commit pointer file, the node's long poll, the
 * engine's commit listener).
 */
@FunctionalInterface
public interface StoreReaders {

    /**
     * A new reader of the store.
     *
     * @param expectedIncarnation the incarnation the caller's checkpoint belongs to, or null for any
     * @throws io.dataplatform.store.StoreRecreatedException if the store has another incarnation
     * @throws io.dataplatform.store.StoreNotFoundException if the store does not exist (yet)
     */
    StoreReader open(String expectedIncarnation);

    /** Reads the store's files at {@code location} directly, read-only, beside the node that writes them. */
    static StoreReaders direct(String location, StoreId store) {
        return expected -> Storage.openReader(location, store, expected);
    }

    /** Reads the store over HTTP from the node at {@code endpoint}. */
    static StoreReaders remote(URI endpoint, StoreId store, NodeCredentials credentials) {
        PlatformClient client = PlatformClient.remote(endpoint, store, credentials);
        return client::remoteReader;
    }

    /** Reads the store from an engine running in this JVM (a node and a worker deployed together). */
    static StoreReaders engine(StoreEngine engine, StoreId store) {
        return expected -> engine.openReader(store, expected);
    }
}
