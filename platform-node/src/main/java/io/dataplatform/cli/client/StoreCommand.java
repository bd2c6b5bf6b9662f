package io.dataplatform.cli.client;

import io.dataplatform.client.PlatformClient;
import io.dataplatform.store.InvalidStoreIdException;
import io.dataplatform.store.StoreId;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.Arrays;

/**
 * A client subcommand aimed at one store: {@code --node} (writes go through it, and reads when no
 * storage location is given), {@code --store}, and {@code --location} (the storage location, for
 * reading the store's files directly).
 */
abstract class StoreCommand extends ClientSubcommand {

    static final String DEFAULT_STORE = "test-client";

    @Option(names = "--node", defaultValue = "${env:DP_NODE:-http://127.0.0.1:8080}",
            description = "The node's endpoint (env DP_NODE, default ${DEFAULT-VALUE}).")
    URI node;

    @Option(names = "--store", defaultValue = DEFAULT_STORE,
            description = "The store id (default ${DEFAULT-VALUE}).")
    String store;

    @Option(names = "--location", description = "The storage location (the node's --store directory), "
            + "to read the store's files directly instead of over HTTP.")
    String location;

    StoreId storeId() {
        try {
            return StoreId.of(store);
        } catch (InvalidStoreIdException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** A client that writes through the node. */
    PlatformClient writer() {
        return PlatformClient.remote(node, storeId());
    }

    /** A client that reads directly from {@code --location}, or over HTTP without one. */
    PlatformClient readerClient() {
        return location != null ? PlatformClient.readOnly(location, storeId()) : PlatformClient.remote(node, storeId());
    }

    /** Event data of {@code size} bytes: printable, different per event, cheap to make. */
    static byte[] payload(int size, long seed) {
        byte[] data = new byte[size];
        payload(data, seed);
        return data;
    }

    /** Writes {@link #payload(int, long)}'s bytes into {@code data} (reused by a caller whose appends copy it). */
    static void payload(byte[] data, long seed) {
        Arrays.fill(data, (byte) ('a' + (int) (seed % 26)));
        int digits = 1;
        for (long rest = seed / 10; rest > 0; rest /= 10) {
            digits++;
        }
        long rest = seed;
        for (int i = digits - 1; i >= 0; i--) {
            if (i < data.length) {
                data[i] = (byte) ('0' + (int) (rest % 10));
            }
            rest /= 10;
        }
    }
}
