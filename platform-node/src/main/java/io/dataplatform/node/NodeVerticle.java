package io.dataplatform.node;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.util.concurrent.TimeUnit;

/**
 * One HTTP server instance on one event loop; the node deploys one per core, all sharing the
 * port. Requests are parsed and validated here and never block: appends go to the engine's
 * writers, reads to the shared worker pool. {@link #stop()} stops accepting and lets requests in
 * flight finish (up to a grace period).
 */
final class NodeVerticle extends VerticleBase {
    static final long SHUTDOWN_GRACE_SECONDS = 30;

    private final NodeServices services;
    private final int port;
    private HttpServer server;

    NodeVerticle(NodeServices services, int port) {
        this.services = services;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(services.config().host())
                .setPort(port)
                .setTcpNoDelay(true)
                .setCompressionSupported(false)
                .setDecompressionSupported(false);
        server = vertx.createHttpServer(options).requestHandler(HttpApi.router(vertx, services));
        return server.listen();
    }

    /** The port this instance listens on (the real one when the configured port was 0). */
    int actualPort() {
        return server.actualPort();
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
    }
}
