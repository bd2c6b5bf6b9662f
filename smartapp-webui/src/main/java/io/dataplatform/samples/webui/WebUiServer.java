package io.dataplatform.samples.webui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * The web UI's HTTP server: the page and its assets (classpath {@code webui/}, nothing from the
 * network: the content security policy allows only this origin), {@code GET /api/summary},
 * {@code GET /api/tags} and {@code /api/users} (pages and search), and {@code GET /api/live}, a
 * server-sent event stream of summaries (at most {@link #MAX_STREAMS} at once; a client too slow to
 * take one skips it, since each summary is whole). View reads run on worker threads, never on the
 * event loop. Owns its HTTP server; the streams' set is touched only on its event loop.
 */
final class WebUiServer extends VerticleBase {
    static final int MAX_STREAMS = 64;
    private static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
            + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final LiveFeed feed;
    private final Pages pages;
    private final String host;
    private final int port;
    private final Set<HttpServerResponse> streams = new LinkedHashSet<>();
    private HttpServer server;
    private Runnable unsubscribe = () -> { };

    WebUiServer(LiveFeed feed, Pages pages, String host, int port) {
        this.feed = feed;
        this.pages = pages;
        this.host = host;
        this.port = port;
    }

    /** The port listened on (after start; the given one, or the one chosen for port 0). */
    int actualPort() {
        return server.actualPort();
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            ctx.response().putHeader("Content-Security-Policy", CSP).putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Referrer-Policy", "no-referrer");
            ctx.next();
        });
        router.get("/api/summary").handler(ctx -> json(ctx, 200, feed.summary()));
        router.get("/api/tags").handler(ctx -> page(ctx, pages::tags));
        router.get("/api/users").handler(ctx -> page(ctx, pages::users));
        router.get("/api/live").handler(this::live);
        router.route("/api/*").handler(ctx -> error(ctx, 404, "not_found", "no API route " + ctx.request().path()));
        Assets assets = Assets.load();
        router.get("/*").handler(assets::serve);
        router.route().last().handler(ctx -> error(ctx, 404, "not_found", "nothing at " + ctx.request().path()));
        Context context = vertx.getOrCreateContext();
        unsubscribe = feed.subscribe(summary -> context.runOnContext(v -> broadcast(summary)));
        long heartbeat = vertx.setPeriodic(15_000, id -> broadcastComment());
        return vertx.createHttpServer().requestHandler(router).listen(port, host).onSuccess(s -> server = s)
                .onFailure(e -> vertx.cancelTimer(heartbeat));
    }

    @Override
    public Future<?> stop() {
        unsubscribe.run();
        for (HttpServerResponse stream : streams) {
            stream.end();
        }
        streams.clear();
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void page(RoutingContext ctx, Function<Pages.Request, ObjectNode> answer) {
        Pages.Request request;
        try {
            request = new Pages.Request(ctx.request().getParam("q"), intParam(ctx, "page", 1), intParam(ctx, "size", 20));
        } catch (IllegalArgumentException e) {
            error(ctx, 400, "bad_parameter", e.getMessage());
            return;
        }
        vertx.executeBlocking(() -> answer.apply(request).toString(), false)
                .onSuccess(body -> json(ctx, 200, body))
                .onFailure(e -> error(ctx, 500, "view_read_failed", e.getMessage()));
    }

    private static int intParam(RoutingContext ctx, String name, int fallback) {
        String value = ctx.request().getParam(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": not a number: '" + truncated(value) + "'");
        }
    }

    private void live(RoutingContext ctx) {
        if (streams.size() >= MAX_STREAMS) {
            ctx.response().putHeader("Retry-After", "5");
            error(ctx, 503, "too_many_streams", "at most " + MAX_STREAMS + " live streams at once");
            return;
        }
        HttpServerResponse response = ctx.response();
        response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store").putHeader("X-Accel-Buffering", "no");
        streams.add(response);
        response.closeHandler(v -> streams.remove(response));
        response.exceptionHandler(e -> streams.remove(response));
        response.write("retry: 2000\n\n");
        send(response, feed.summary());
    }

    private void broadcast(String summary) {
        for (HttpServerResponse stream : streams) {
            if (!stream.writeQueueFull()) {
                send(stream, summary);
            }
        }
    }

    private void broadcastComment() {
        for (HttpServerResponse stream : streams) {
            if (!stream.writeQueueFull()) {
                stream.write(": keep-alive\n\n");
            }
        }
    }

    private static void send(HttpServerResponse stream, String summary) {
        stream.write("event: summary\ndata: " + summary + "\n\n");
    }

    private static void json(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store").end(body);
    }

    private static void error(RoutingContext ctx, int status, String error, String detail) {
        json(ctx, status, new JsonObject().put("error", error).put("detail", detail).encode());
    }

    private static String truncated(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
