package io.dataplatform.node;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;

import java.util.concurrent.TimeUnit;

/**
 * One HTTP server instance on one event loop; the node deploys one per core, all sharing the
 * port. Requests are parsed and validated here and never block: appends go to the engine's
 * writers, reads to the shared worker pool. {@link #stop()} stops accepting and lets requests in
 * flight finish (up to a grace period).
 *
 * <p>Slow and idle clients cannot hold connections: one with no traffic for the idle timeout is
 * closed by Vert.x, and one that has not sent a whole request head within the request timeout
 * (since it connected or since its previous answer) is closed here, however slowly it trickles
 * bytes in. Bodies get the same time again ({@link ConnectionDeadlines}). With TLS, the server reads its
 * certificate and key from PEM files.
 */
final class NodeVerticle extends VerticleBase {
    static final long SHUTDOWN_GRACE_SECONDS = 30;

    private final NodeServices services;
    private final int port;
    private HttpServer server;
    private ConnectionDeadlines deadlines;

    NodeVerticle(NodeServices services, int port) {
        this.services = services;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        NodeConfig config = services.config();
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(port)
                .setTcpNoDelay(true)
                .setCompressionSupported(false)
                .setDecompressionSupported(false)
                // HTTP/1.1 only: without h2c detection, a connection is handed over (and its head
                // deadline starts) as soon as it is accepted, not after its first bytes
                .setHttp2ClearTextEnabled(false)
                .setIdleTimeout((int) Math.max(1, config.idleTimeout().toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        if (config.tls()) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(config.tlsCert().toString()).setKeyPath(config.tlsKey().toString()));
        }
        deadlines = new ConnectionDeadlines(vertx, config.requestTimeout());
        HttpApi api = new HttpApi(services, context, deadlines);
        server = vertx.createHttpServer(options)
                .connectionHandler(deadlines::opened)
                .requestHandler(request -> {
                    deadlines.headArrived(request.connection());
                    api.handle(request);
                });
        return server.listen();
    }

    /** The port this instance listens on (the real one when the configured port was 0). */
    int actualPort() {
        return server.actualPort();
    }

    @Override
    public Future<?> stop() {
        if (server == null) {
            return Future.succeededFuture();
        }
        return server.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS).eventually(() -> {
            deadlines.close();
            return Future.succeededFuture();
        });
    }
}
