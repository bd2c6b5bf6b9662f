package io.dataplatform.samples.continuous;

import io.dataplatform.client.PlatformClient;
import io.dataplatform.store.StoreId;
import picocli.CommandLine.Option;

import java.net.URI;

/** The options every command shares: where the node, the store's files and the views are. */
public final class CommonOptions {
    @Option(names = "--node", defaultValue = "${env:DP_NODE:-http://127.0.0.1:8080}",
            description = "The node's endpoint (default: ${DEFAULT-VALUE}).")
    URI node;

    @Option(names = "--store", defaultValue = "sample3", description = "The store (default: ${DEFAULT-VALUE}).")
    String store;

    @Option(names = "--location", defaultValue = "${env:DP_STORE:-./data}",
            description = "The node's storage location, for direct reads and staged batches (default: ${DEFAULT-VALUE}).")
    String location;

    @Option(names = "--views", defaultValue = "${env:DP_VIEWS:-./views}",
            description = "The view location (default: ${DEFAULT-VALUE}).")
    String views;

    public StoreId storeId() {
        return StoreId.of(store);
    }

    /** Writes through the node, reads the store's files directly. */
    public PlatformClient client() {
        return PlatformClient.connect(location, storeId(), node);
    }

    public String views() {
        return views;
    }

    public String location() {
        return location;
    }
}
