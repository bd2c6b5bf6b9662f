package io.dataplatform.samples.continuous.importer;

import io.dataplatform.client.PlatformClient;
import io.dataplatform.store.AppendResult;
import io.dataplatform.store.NewEvent;

import java.util.List;

/**
 * How the importer hands a batch to the node; both commit the batch atomically (all of it or
 * none becomes visible). docs/benchmarks.md compares them.
 */
public enum BatchTransport {
    /** One HTTP request whose body holds the batch's frames (up to 64 MiB and 100,000 events). */
    HTTP,
    /** A staging file written beside the store, then imported by the node (needs {@code --location}). */
    STAGED;

    AppendResult append(PlatformClient client, List<NewEvent> events) {
        return switch (this) {
            case HTTP -> client.append(events);
            case STAGED -> client.importBatch(events);
        };
    }
}
