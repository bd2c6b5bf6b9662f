package io.dataplatform.node;

import io.dataplatform.store.Durability;
import io.dataplatform.store.EngineOptions;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a node.
 *
 * @param storeLocation  storage location: a directory, or an Azure connection string (optionally |container)
 * @param host           address the HTTP server binds
 * @param port           HTTP port; 0 picks a free one (see {@link Node#port()})
 * @param killSwitch     stop gracefully after this long; null or zero for never; at most {@link #MAX_KILL_SWITCH}
 * @param durability     when appends are acknowledged
 * @param maxEventSize   largest event data, bytes: at least 1 (a route body limit of 0 reads no body)
 * @param eventLoops     HTTP verticle instances, one per event loop
 * @param maxInFlightBytes request-body bytes the node holds at once before answering 503
 * @param tokens         access tokens with their scopes; {@link Tokens#NONE} leaves every route open
 * @param insecure       allow binding an address other than loopback without tokens
 * @param tlsCert        PEM certificate (chain) for HTTPS, or null for plain HTTP (with {@code tlsKey})
 * @param tlsKey         PEM private key of {@code tlsCert}, or null
 * @param idleTimeout    a connection with no traffic for this long is closed; at most {@link #MAX_TIMEOUT}
 * @param requestTimeout time a client has to send a request's head (from when its connection opened
 *                       or its previous answer ended), and again its body; slower ones are dropped;
 *                       at most {@link #MAX_TIMEOUT}
 */
public record NodeConfig(String storeLocation, String host, int port, Duration killSwitch, Durability durability,
                         int maxEventSize, int eventLoops, long maxInFlightBytes, Tokens tokens, boolean insecure,
                         Path tlsCert, Path tlsKey, Duration idleTimeout, Duration requestTimeout) {

    public static final String DEFAULT_STORE = "./data";
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    /** Largest body of {@code POST /stores/{store}/events}. */
    public static final int MAX_BATCH_BODY = 64 * 1024 * 1024;
    /**
     * Most events of one {@code POST /stores/{store}/events} (as many as one read answers): the
     * decoded events cost memory beyond the body's bytes. Larger batches are staged and imported.
     */
    public static final int MAX_BATCH_EVENTS = 100_000;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** The longest idle or request timeout: Vert.x takes the idle timeout as an int of milliseconds (about 24 days). */
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(Integer.MAX_VALUE / 1000);
    /** The longest kill switch (about 68 years): longer ones would overflow the timer's milliseconds. */
    public static final Duration MAX_KILL_SWITCH = Duration.ofSeconds(Integer.MAX_VALUE);

    public NodeConfig {
        Objects.requireNonNull(storeLocation, "storeLocation");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(tokens, "tokens");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the HTTP port is between 0 and 65535, not " + port);
        }
        if (maxEventSize < 1 || maxEventSize > MAX_BATCH_BODY) {
            throw new IllegalArgumentException("the max event size (--max-event-size) is between 1 and " + MAX_BATCH_BODY
                    + " bytes, not " + maxEventSize);
        }
        if (killSwitch != null && (killSwitch.isNegative() || killSwitch.compareTo(MAX_KILL_SWITCH) > 0)) {
            throw new IllegalArgumentException("the kill switch (--kill-switch) is between 0 (never) and "
                    + MAX_KILL_SWITCH.getSeconds() + " s, not " + seconds(killSwitch));
        }
        if (eventLoops < 1) {
            throw new IllegalArgumentException("eventLoops must be at least 1");
        }
        if (maxInFlightBytes < MAX_BATCH_BODY) {
            throw new IllegalArgumentException("maxInFlightBytes must hold at least one largest batch body ("
                    + MAX_BATCH_BODY + " bytes)");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate (--tls-cert) and its key (--tls-key)");
        }
        requireTimeout(idleTimeout, "idle timeout (--idle-timeout)");
        requireTimeout(requestTimeout, "request timeout (--request-timeout)");
    }

    private static void requireTimeout(Duration timeout, String name) {
        if (timeout == null) {
            throw new IllegalArgumentException("the " + name + " is required");
        }
        if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("the " + name + " is between 0.001 and " + MAX_TIMEOUT.getSeconds()
                    + " s (about 24 days), not " + seconds(timeout));
        }
    }

    /** A duration in seconds as an operator wrote it: {@code 3000000 s}, {@code 1.5 s}. */
    private static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.getSeconds()).add(BigDecimal.valueOf(duration.getNano(), 9))
                .stripTrailingZeros().toPlainString() + " s";
    }

    /**
     * Defaults: {@code ./data}, {@code 127.0.0.1:8080}, durable appends, 2 MiB events, one event loop
     * per core, no tokens (open, on loopback only), plain HTTP, 60 s idle and request timeouts.
     */
    public static NodeConfig defaults() {
        long heapQuarter = Runtime.getRuntime().maxMemory() / 4;
        return new NodeConfig(DEFAULT_STORE, DEFAULT_HOST, DEFAULT_PORT, null, Durability.SYNC,
                EngineOptions.DEFAULT_MAX_EVENT_SIZE, Runtime.getRuntime().availableProcessors(),
                Math.max(2L * MAX_BATCH_BODY, Math.min(heapQuarter, 1L << 30)), Tokens.NONE, false, null, null,
                DEFAULT_IDLE_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    public NodeConfig withStoreLocation(String value) {
        return new NodeConfig(value, host, port, killSwitch, durability, maxEventSize, eventLoops, maxInFlightBytes, tokens, insecure, tlsCert, tlsKey, idleTimeout, requestTimeout);
    }

    public NodeConfig withHost(String value) {
        return new NodeConfig(storeLocation, value, port, killSwitch, durability, maxEventSize, eventLoops, maxInFlightBytes, tokens, insecure, tlsCert, tlsKey, idleTimeout, requestTimeout);
    }

    public NodeConfig withPort(int value) {
        return new NodeConfig(storeLocation, host, value, killSwitch, durability, maxEventSize, eventLoops, maxInFlightBytes, tokens, insecure, tlsCert, tlsKey, idleTimeout, requestTimeout);
    }

    public NodeConfig withKillSwitch(Duration value) {
        return new NodeConfig(storeLocation, host, port, value, durability, maxEventSize, eventLoops, maxInFlightBytes, tokens, insecure, tlsCert, tlsKey, idleTimeout, requestTimeout);
    }

    public NodeConfig withDurability(Durability value) {
        return new NodeConfig(storeLocation, host, port, killSwitch, value, maxEventSize, eventLoops, maxInFlightBytes, tokens, insecure, tlsCert, tlsKey, idleTimeout, requestTimeout);
    }

    public NodeConfig withMaxEventSize(int value) {
        return new NodeConfig(storeLocation, host, port, killSwitch, durability, value, eventLoops, maxInFlightBytes, tokens, insecure, tlsCert, tlsKey, idleTimeout, requestTimeout);
    }

    public NodeConfig withEventLoops(int value) {
        return new NodeConfig(storeLocation, host, port, killSwitch, durability, maxEventSize, value, maxInFlightBytes, tokens, insecure, tlsCert, tlsKey, idleTimeout, requestTimeout);
    }

    public NodeConfig withMaxInFlightBytes(long value) {
        return new NodeConfig(storeLocation, host, port, killSwitch, durability, maxEventSize, eventLoops, value, tokens, insecure, tlsCert, tlsKey, idleTimeout, requestTimeout);
    }

    public NodeConfig withTokens(Tokens value) {
        return new NodeConfig(storeLocation, host, port, killSwitch, durability, maxEventSize, eventLoops, maxInFlightBytes, value, insecure, tlsCert, tlsKey, idleTimeout, requestTimeout);
    }

    public NodeConfig withInsecure(boolean value) {
        return new NodeConfig(storeLocation, host, port, killSwitch, durability, maxEventSize, eventLoops, maxInFlightBytes, tokens, value, tlsCert, tlsKey, idleTimeout, requestTimeout);
    }

    public NodeConfig withTlsCert(Path value) {
        return new NodeConfig(storeLocation, host, port, killSwitch, durability, maxEventSize, eventLoops, maxInFlightBytes, tokens, insecure, value, tlsKey, idleTimeout, requestTimeout);
    }

    public NodeConfig withTlsKey(Path value) {
        return new NodeConfig(storeLocation, host, port, killSwitch, durability, maxEventSize, eventLoops, maxInFlightBytes, tokens, insecure, tlsCert, value, idleTimeout, requestTimeout);
    }

    public NodeConfig withIdleTimeout(Duration value) {
        return new NodeConfig(storeLocation, host, port, killSwitch, durability, maxEventSize, eventLoops, maxInFlightBytes, tokens, insecure, tlsCert, tlsKey, value, requestTimeout);
    }

    public NodeConfig withRequestTimeout(Duration value) {
        return new NodeConfig(storeLocation, host, port, killSwitch, durability, maxEventSize, eventLoops, maxInFlightBytes, tokens, insecure, tlsCert, tlsKey, idleTimeout, value);
    }

    /** Both TLS files at once. */
    public NodeConfig withTls(Path cert, Path key) {
        return new NodeConfig(storeLocation, host, port, killSwitch, durability, maxEventSize, eventLoops, maxInFlightBytes,
                tokens, insecure, cert, key, idleTimeout, requestTimeout);
    }

    public boolean tls() {
        return tlsCert != null;
    }

    /**
     * The safe default: without tokens every route (delete and shutdown included) is open, so the
     * node binds a loopback address only, unless {@code insecure} says otherwise.
     *
     * @throws IllegalStateException if this configuration would open the node to the network
     */
    public void checkExposure() {
        if (tokens.isEmpty() && !insecure && !isLoopback(host)) {
            throw new IllegalStateException("refusing to listen on " + host + " without access tokens: every route, "
                    + "delete and shutdown included, would be open to the network. Give --tokens FILE (or DP_TOKENS), "
                    + "bind 127.0.0.1, or pass --insecure to run open anyway");
        }
    }

    static boolean isLoopback(String host) {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            for (InetAddress address : addresses) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    /** Engine settings for this node: its durability and event limit, queues that hold two largest batches. */
    public EngineOptions engineOptions() {
        EngineOptions base = EngineOptions.defaults().withDurability(durability).withMaxEventSize(maxEventSize);
        return base.withMaxQueuedBytes(Math.max(base.maxQueuedBytes(), 2L * MAX_BATCH_BODY));
    }
}
