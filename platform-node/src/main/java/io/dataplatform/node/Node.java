package io.dataplatform.node;

import io.dataplatform.metrics.PrometheusMetrics;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.Storage;
import io.dataplatform.store.StoreEngine;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running node: one storage engine shared by one {@link NodeVerticle} per event loop, all
 * serving the HTTP API on one port. Each commit is published on the event bus at
 * {@code dp.commits.<store>} as {@code {"position","version"}}.
 *
 * <p>{@link #stop()} is graceful and idempotent: refuse new requests, let the HTTP servers finish
 * the requests in flight, close the engine (which commits what is queued and syncs), close Vert.x.
 * Thread-safe.
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private final NodeConfig config;
    private final Vertx vertx;
    private final StoreEngine engine;
    private final WorkerExecutor blocking;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final List<String> deployments = new ArrayList<>();
    private volatile int port;

    private Node(NodeConfig config, Vertx vertx, StoreEngine engine) {
        this.config = config;
        this.vertx = vertx;
        this.engine = engine;
        this.blocking = vertx.createSharedWorkerExecutor("dp-blocking", Math.max(4, 2 * config.eventLoops()));
    }

    /**
     * Opens the engine and starts serving; blocks until the node listens.
     *
     * @throws IllegalStateException if the port cannot be bound (the engine is closed again)
     */
    public static Node start(NodeConfig config) {
        return start(config, config.engineOptions());
    }

    /** {@link #start(NodeConfig)} with engine settings of the caller's choice (queue sizes, writer threads). */
    public static Node start(NodeConfig config, EngineOptions engineOptions) {
        config.checkExposure();
        return start(config, Storage.openEngine(config.storeLocation(), engineOptions));
    }

    /**
     * Starts serving an engine the caller opened (tests pass one over a faulty disk); the node
     * owns it from now on and closes it when it stops.
     *
     * @throws IllegalStateException if the configuration would open the node to the network
     *                               without tokens, or the port cannot be bound
     */
    public static Node start(NodeConfig config, StoreEngine engine) {
        try {
            config.checkExposure();
        } catch (IllegalStateException e) {
            engine.close();
            throw e;
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.eventLoops()).setPreferNativeTransport(true));
        Node node = new Node(config, vertx, engine);
        try {
            node.deploy();
        } catch (RuntimeException e) {
            node.stop().join();
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        return node;
    }

    private void deploy() {
        InFlightBytes inFlight = new InFlightBytes(config.maxInFlightBytes());
        InFlightBytes answers = new InFlightBytes(config.maxInFlightBytes());
        NodeMetrics metrics = new NodeMetrics(new PrometheusMetrics(), engine, inFlight, answers);
        engine.addCommitListener(commit -> {
            metrics.committed(commit);
            vertx.eventBus().publish(NodeServices.commitAddress(commit.store().value()), new JsonObject()
                    .put("position", commit.pointer().position()).put("version", commit.pointer().version()));
        });
        NodeServices services = new NodeServices(engine, config, metrics, inFlight, answers, blocking, stopping, this::stop,
                new IdempotentAppends());
        // Every instance listens on the same port and Vert.x shares it between them. Port 0 would
        // give each instance its own free port: a negative port makes them share one free port.
        int listenPort = config.port() == 0 ? -1 : config.port();
        List<NodeVerticle> instances = new java.util.concurrent.CopyOnWriteArrayList<>();
        deployments.add(vertx.deployVerticle(() -> {
            NodeVerticle verticle = new NodeVerticle(services, listenPort);
            instances.add(verticle);
            return verticle;
        }, new DeploymentOptions().setInstances(config.eventLoops())).await());
        port = instances.get(0).actualPort();
        if (config.killSwitch() != null && !config.killSwitch().isZero()) {
            vertx.setTimer(config.killSwitch().toMillis(), id -> {
                log.info("kill switch: stopping after {}", config.killSwitch());
                stop();
            });
        }
        log.info("node listening on {}, store location {}, durability {}, {} transport", endpoint(), io.dataplatform.rules.StorageLocation.redacted(config.storeLocation()),
                config.durability().name().toLowerCase(), vertx.isNativeTransportEnabled() ? "epoll" : "NIO");
        // found damage shows in /health, /metrics and GET /stores from the start, not at first use
        blocking.executeBlocking(() -> {
            openEveryStore();
            return null;
        }, false);
        if (config.tokens().isEmpty()) {
            log.warn("no access tokens: every route is open to whoever can reach {}:{}{}", config.host(), port,
                    NodeConfig.isLoopback(config.host()) ? " (loopback only)" : " (--insecure)");
        } else {
            log.info("access control: {} token(s), checked on every route", config.tokens().size());
        }
    }

    /**
     * Opens (and recovers) every store once, on the worker pool while the node already serves: a
     * store that cannot be opened is remembered by the engine as damaged, and stops none of the
     * others.
     */
    private void openEveryStore() {
        List<StoreId> stores;
        try {
            stores = engine.list();
        } catch (RuntimeException e) {
            log.error("cannot list the stores of {}: {}", io.dataplatform.rules.StorageLocation.redacted(config.storeLocation()), e.getMessage());
            return;
        }
        int damaged = 0;
        for (StoreId store : stores) {
            if (stopping.get()) {
                return;
            }
            try {
                engine.commitPointer(store);
            } catch (StoreNotFoundException e) {
                // deleted meanwhile
            } catch (RuntimeException e) {
                damaged++; // the engine logged it and reports it
            }
        }
        if (damaged > 0) {
            log.error("{} of {} stores cannot be opened; the others serve as usual (see /health)", damaged, stores.size());
        } else {
            log.info("{} stores opened", stores.size());
        }
    }

    /** The port the node listens on. */
    public int port() {
        return port;
    }

    /** The node's base URI, e.g. {@code http://127.0.0.1:8080} ({@code https} with TLS). */
    public URI endpoint() {
        return URI.create((config.tls() ? "https://" : "http://") + config.host() + ":" + port);
    }

    public NodeConfig config() {
        return config;
    }

    public StoreEngine engine() {
        return engine;
    }

    /** Starts a graceful stop (once) and returns the future that completes when the node has stopped. */
    public CompletableFuture<Void> stop() {
        if (!stopping.compareAndSet(false, true)) {
            return stopped;
        }
        log.info("node stopping: refusing new requests, finishing those in flight");
        vertx.eventBus().publish(NodeServices.STOPPING_ADDRESS, "stopping");
        Future<Void> undeployed = Future.succeededFuture();
        for (String id : deployments) {
            undeployed = undeployed.compose(v -> vertx.undeploy(id));
        }
        undeployed.recover(e -> {
                    log.warn("stopping the HTTP servers: {}", e.getMessage());
                    return Future.succeededFuture();
                })
                .compose(v -> vertx.executeBlocking(() -> {
                    engine.close();
                    return null;
                }, false))
                .recover(e -> {
                    log.error("closing the storage engine failed", e);
                    return Future.succeededFuture();
                })
                .compose(v -> blocking.close())
                .eventually(() -> vertx.close())
                .onComplete(ar -> {
                    log.info("node stopped: writers drained, stores synced and closed");
                    stopped.complete(null);
                });
        return stopped;
    }

    /** Completes when the node has stopped, whoever stopped it (SIGTERM, /system/shutdown, kill switch). */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    @Override
    public void close() {
        stop().join();
    }
}
