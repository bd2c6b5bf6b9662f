package io.dataplatform.samples.webui;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.util.function.Supplier;

/**
 * The web UI assembled over an open view store: the readers, the index, the live feed and the
 * HTTP server on its own Vert.x instance. Owns the Vert.x instance and the feed's threads, not the
 * view store (its opener closes it). Thread-safe to close once.
 */
public final class WebUi implements AutoCloseable {
    /** Index bound: tags and users kept in memory for search, each. */
    static final int MAX_INDEXED = 2_000_000;

    private final Vertx vertx;
    private final LiveFeed feed;
    private final WebUiServer server;

    private WebUi(Vertx vertx, LiveFeed feed, WebUiServer server) {
        this.vertx = vertx;
        this.feed = feed;
        this.server = server;
    }

    /**
     * Starts the UI on {@code host:port} (0: any free port) over {@code views}.
     *
     * @param processing the store's head and runner states, or {@link ProcessingSource#NONE}
     * @param demo the demo's progress as JSON (null when there is none), polled with the views
     */
    static WebUi start(io.dataplatform.views.ViewStore views, ProcessingSource processing, Supplier<JsonNode> demo,
            String host, int port, long pollMillis) {
        Sample3Views sample3 = new Sample3Views(views);
        ViewIndex index = new ViewIndex(sample3, MAX_INDEXED);
        LiveFeed feed = new LiveFeed(sample3, index, processing, demo, pollMillis);
        Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(4).setEventLoopPoolSize(1));
        WebUiServer server = new WebUiServer(feed, new Pages(sample3, index), host, port);
        try {
            vertx.deployVerticle(server).await();
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
        feed.start();
        return new WebUi(vertx, feed, server);
    }

    /** The port the UI listens on. */
    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        feed.close();
        vertx.close().await();
    }
}
