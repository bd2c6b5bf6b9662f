package io.dataplatform.projections.worker;

import io.dataplatform.node.Tokens;
import io.dataplatform.projections.plugins.ProjectionPlugins;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A running projection worker: the plugins, the {@link ProjectionWorker} with its saved projections
 * resumed, and the REST API served by Vert.x. {@link #close} stops the HTTP server, every runner
 * (each after its current batch) and the view stores. Thread-safe.
 */
public final class WorkerServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerServer.class);

    /**
     * How a worker runs.
     *
     * @param host address to bind ({@code 127.0.0.1} by default)
     * @param port HTTP port (8083 by default, as Kafka Connect's; 0 for any free one)
     * @param plugins plugin directory, or null
     * @param configDir where configurations persist, or null for memory only
     * @param node the node projections read over HTTP when they give no storage location, or null
     * @param tokens access tokens (the node's format), or {@link Tokens#NONE}
     */
    public record Settings(String host, int port, Path plugins, Path configDir, URI node, Tokens tokens) {
        public static final String DEFAULT_HOST = "127.0.0.1";
        public static final int DEFAULT_PORT = 8083;

        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(tokens, "tokens");
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_HOST, DEFAULT_PORT, null, null, null, Tokens.NONE);
        }

        public Settings withPort(int value) {
            return new Settings(host, value, plugins, configDir, node, tokens);
        }

        public Settings withPlugins(Path value) {
            return new Settings(host, port, value, configDir, node, tokens);
        }

        public Settings withConfigDir(Path value) {
            return new Settings(host, port, plugins, value, node, tokens);
        }

        public Settings withNode(URI value) {
            return new Settings(host, port, plugins, configDir, value, tokens);
        }

        public Settings withHost(String value) {
            return new Settings(value, port, plugins, configDir, node, tokens);
        }

        public Settings withTokens(Tokens value) {
            return new Settings(host, port, plugins, configDir, node, value);
        }
    }

    private final Vertx vertx;
    private final HttpServer server;
    private final ProjectionWorker worker;

    private WorkerServer(Vertx vertx, HttpServer server, ProjectionWorker worker) {
        this.vertx = vertx;
        this.server = server;
        this.worker = worker;
    }

    /** Scans the plugins, resumes the saved projections and starts serving; blocks until listening. */
    public static WorkerServer start(Settings settings) {
        ProjectionPlugins plugins = ProjectionPlugins.scan(WorkerServer.class.getClassLoader(), settings.plugins());
        WorkerMetrics metrics = new WorkerMetrics();
        ProjectionWorker worker = new ProjectionWorker(plugins, new ProjectionConfigFiles(settings.configDir()),
                settings.node(), metrics);
        Vertx vertx = Vertx.vertx();
        try {
            worker.resumeSaved();
            WorkerApi api = new WorkerApi(vertx, worker, metrics, settings.tokens());
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setIdleTimeout(60))
                    .requestHandler(api.router()).listen(settings.port(), settings.host()).await();
            LOG.info("projection worker listening on http://{}:{} with {} projection(s)", settings.host(),
                    server.actualPort(), worker.names().size());
            return new WorkerServer(vertx, server, worker);
        } catch (RuntimeException e) {
            worker.close();
            vertx.close().await();
            throw e;
        }
    }

    public int port() {
        return server.actualPort();
    }

    public ProjectionWorker worker() {
        return worker;
    }

    public Vertx vertx() {
        return vertx;
    }

    @Override
    public void close() {
        try {
            server.close().await();
        } finally {
            try {
                worker.close();
            } finally {
                vertx.close().await();
            }
        }
    }
}
