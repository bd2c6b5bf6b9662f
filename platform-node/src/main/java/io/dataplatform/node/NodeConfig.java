package io.dataplatform.node;

import io.dataplatform.store.Durability;
import io.dataplatform.store.EngineOptions;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a node.
 *
 * @param storeLocation  storage location: a directory, or a connection string once that backend exists
 * @param host           address the HTTP server binds
 * @param port           HTTP port; 0 picks a free one (see {@link Node#port()})
 * @param killSwitch     stop gracefully after this long; null or zero for never
 * @param durability     when appends are acknowledged
 * @param maxEventSize   largest event data, bytes
 * @param eventLoops     HTTP verticle instances, one per event loop
 * @param maxInFlightBytes request-body bytes the node holds at once before answering 503
 */
public record NodeConfig(String storeLocation, String host, int port, Duration killSwitch, Durability durability,
                         int maxEventSize, int eventLoops, long maxInFlightBytes) {

    public static final String DEFAULT_STORE = "./data";
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    /** Largest body of {@code POST /stores/{store}/events}. */
    public static final int MAX_BATCH_BODY = 64 * 1024 * 1024;

    public NodeConfig {
        Objects.requireNonNull(storeLocation, "storeLocation");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(durability, "durability");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the HTTP port is between 0 and 65535, not " + port);
        }
        if (maxEventSize < 0 || maxEventSize > MAX_BATCH_BODY) {
            throw new IllegalArgumentException("the max event size is between 0 and " + MAX_BATCH_BODY
                    + " bytes, not " + maxEventSize);
        }
        if (eventLoops < 1) {
            throw new IllegalArgumentException("eventLoops must be at least 1");
        }
        if (maxInFlightBytes < MAX_BATCH_BODY) {
            throw new IllegalArgumentException("maxInFlightBytes must hold at least one largest batch body ("
                    + MAX_BATCH_BODY + " bytes)");
        }
    }

    /** Defaults: {@code ./data}, {@code 127.0.0.1:8080}, durable appends, 2 MiB events, one event loop per core. */
    public static NodeConfig defaults() {
        long heapQuarter = Runtime.getRuntime().maxMemory() / 4;
        return new NodeConfig(DEFAULT_STORE, DEFAULT_HOST, DEFAULT_PORT, null, Durability.SYNC,
                EngineOptions.DEFAULT_MAX_EVENT_SIZE, Runtime.getRuntime().availableProcessors(),
                Math.max(2L * MAX_BATCH_BODY, Math.min(heapQuarter, 1L << 30)));
    }

    public NodeConfig withStoreLocation(String value) {
        return new NodeConfig(value, host, port, killSwitch, durability, maxEventSize, eventLoops, maxInFlightBytes);
    }

    public NodeConfig withHost(String value) {
        return new NodeConfig(storeLocation, value, port, killSwitch, durability, maxEventSize, eventLoops, maxInFlightBytes);
    }

    public NodeConfig withPort(int value) {
        return new NodeConfig(storeLocation, host, value, killSwitch, durability, maxEventSize, eventLoops, maxInFlightBytes);
    }

    public NodeConfig withKillSwitch(Duration value) {
        return new NodeConfig(storeLocation, host, port, value, durability, maxEventSize, eventLoops, maxInFlightBytes);
    }

    public NodeConfig withDurability(Durability value) {
        return new NodeConfig(storeLocation, host, port, killSwitch, value, maxEventSize, eventLoops, maxInFlightBytes);
    }

    public NodeConfig withMaxEventSize(int value) {
        return new NodeConfig(storeLocation, host, port, killSwitch, durability, value, eventLoops, maxInFlightBytes);
    }

    public NodeConfig withEventLoops(int value) {
        return new NodeConfig(storeLocation, host, port, killSwitch, durability, maxEventSize, value, maxInFlightBytes);
    }

    public NodeConfig withMaxInFlightBytes(long value) {
        return new NodeConfig(storeLocation, host, port, killSwitch, durability, maxEventSize, eventLoops, value);
    }

    /** Engine settings for this node: its durability and event limit, queues that hold two largest batches. */
    public EngineOptions engineOptions() {
        EngineOptions base = EngineOptions.defaults().withDurability(durability).withMaxEventSize(maxEventSize);
        return base.withMaxQueuedBytes(Math.max(base.maxQueuedBytes(), 2L * MAX_BATCH_BODY));
    }
}
