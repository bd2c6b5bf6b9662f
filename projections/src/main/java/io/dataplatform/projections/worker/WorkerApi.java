package io.dataplatform.projections.worker;

import io.dataplatform.metrics.PrometheusMetrics;
import io.dataplatform.node.Tokens;
import io.dataplatform.projections.ConfigKey;
import io.dataplatform.projections.FrameworkKeys;
import io.dataplatform.projections.ProjectionStatus;
import io.dataplatform.projections.plugins.ProjectionPlugins;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The worker's REST API on a Vert.x Web router, shaped like Kafka Connect's: projections
 * ({@code /projections}, {@code /projections/{name}/config|status|pause|resume|restart|rebuild}),
 * plugins ({@code /projection-plugins}, {@code .../config/validate}), {@code /metrics} and
 * {@code /health}. Errors answer {@code {"error": code, "detail": message}} as the node's do.
 *
 * <p>With tokens (the node's format), reads need a token that may read the projection's store and
 * changes need {@code admin}; {@code /health} is open. Lifecycle calls block (a runner finishes
 * its batch), so they run on Vert.x's worker pool, never on the event loop. Stateless: thread-safe.
 */
final class WorkerApi {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerApi.class);
    private static final long MAX_BODY = 1 << 20;
    private static final String JSON = "application/json";

    private final Vertx vertx;
    private final ProjectionWorker worker;
    private final WorkerMetrics metrics;
    private final Tokens tokens;

    WorkerApi(Vertx vertx, ProjectionWorker worker, WorkerMetrics metrics, Tokens tokens) {
        this.vertx = vertx;
        this.worker = worker;
        this.metrics = metrics;
        this.tokens = tokens;
    }

    Router router() {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
        router.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "ok")
                .put("projections", worker.names().size())));
        router.get("/metrics").handler(ctx -> {
            if (admitted(ctx, false, null)) {
                blocking(ctx, metrics::scrape).onSuccess(text -> ctx.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, PrometheusMetrics.CONTENT_TYPE).end(text));
            }
        });
        router.get("/projections").handler(ctx -> {
            if (admitted(ctx, false, null)) {
                json(ctx, 200, new JsonArray(List.copyOf(worker.names())));
            }
        });
        router.post("/projections").handler(this::create);
        router.get("/projections/:name").handler(ctx -> read(ctx, name -> info(name)));
        router.get("/projections/:name/config").handler(ctx -> read(ctx, name -> new JsonObject(
                new LinkedHashMap<>(worker.config(name)))));
        router.put("/projections/:name/config").handler(this::putConfig);
        router.get("/projections/:name/status").handler(ctx -> read(ctx, name -> status(worker.status(name))));
        router.put("/projections/:name/pause").handler(ctx -> change(ctx, 202, worker::pause));
        router.put("/projections/:name/resume").handler(ctx -> change(ctx, 202, worker::resume));
        router.post("/projections/:name/restart").handler(ctx -> change(ctx, 202, worker::restart));
        router.post("/projections/:name/rebuild").handler(ctx -> change(ctx, 202, worker::rebuild));
        router.delete("/projections/:name").handler(ctx -> change(ctx, 204, worker::delete));
        router.get("/projection-plugins").handler(ctx -> {
            if (admitted(ctx, false, null)) {
                json(ctx, 200, plugins());
            }
        });
        router.put("/projection-plugins/:plugin/config/validate").handler(this::validate);
        router.route().last().handler(ctx -> error(ctx, new WorkerException(404, "not_found",
                "no route " + ctx.request().method() + " " + ctx.request().path())));
        router.route().failureHandler(this::failure);
        return router;
    }

    // ---- handlers ----

    private void create(RoutingContext ctx) {
        if (!admitted(ctx, true, null)) {
            return;
        }
        JsonObject body = body(ctx);
        String name = body.getValue("name") instanceof String s ? s : null;
        if (name == null) {
            throw new WorkerException(400, "invalid_input", "the body needs a \"name\" (a string)");
        }
        Map<String, String> config = configMap(body.getValue("config"));
        blocking(ctx, () -> {
            worker.create(name, config);
            return info(name);
        }).onSuccess(answer -> {
            ctx.response().putHeader(HttpHeaders.LOCATION, "/projections/" + name);
            json(ctx, 201, answer);
        });
    }

    private void putConfig(RoutingContext ctx) {
        if (!admitted(ctx, true, null)) {
            return;
        }
        String name = ctx.pathParam("name");
        Map<String, String> config = configMap(body(ctx).getMap().isEmpty() ? null : body(ctx));
        String named = config.get("name");
        if (named != null && !named.equals(name)) {
            throw new WorkerException(400, "invalid_input", "the configuration's \"name\" '" + named
                    + "' is not the projection in the path, '" + name + "'");
        }
        config.remove("name");
        blocking(ctx, () -> worker.putConfig(name, config))
                .onSuccess(created -> json(ctx, created ? 201 : 200, info(name)));
    }

    private void validate(RoutingContext ctx) {
        if (!admitted(ctx, true, null)) {
            return;
        }
        String plugin = ctx.pathParam("plugin");
        Map<String, String> config = configMap(body(ctx));
        String named = config.get(FrameworkKeys.PROJECTION_CLASS);
        if (named == null) {
            config.put(FrameworkKeys.PROJECTION_CLASS, plugin);
        } else {
            // the body names a plugin: it must be the one in the path
            ProjectionPlugins.Plugin inPath = find(plugin);
            ProjectionPlugins.Plugin inBody = find(named);
            if (inPath != inBody) {
                throw new WorkerException(400, "invalid_input", "projection.class '" + named
                        + "' is not the plugin in the path, '" + plugin + "'");
            }
        }
        find(plugin);
        blocking(ctx, () -> worker.validate(config)).onSuccess(result -> {
            JsonArray configs = new JsonArray();
            for (ConfigValidation.KeyCheck check : result.keys()) {
                configs.add(new JsonObject().put("definition", definition(check.key()))
                        .put("value", new JsonObject().put("name", check.key().name()).put("value", check.shownValue())
                                .put("errors", new JsonArray(check.errors()))));
            }
            json(ctx, 200, new JsonObject().put("name", result.plugin() == null ? plugin : result.plugin())
                    .put("error_count", result.errorCount()).put("errors", new JsonArray(result.errors()))
                    .put("configs", configs));
        });
    }

    private ProjectionPlugins.Plugin find(String plugin) {
        try {
            return worker.plugins().find(plugin);
        } catch (IllegalArgumentException e) {
            throw new WorkerException(404, "plugin_not_found", e.getMessage());
        }
    }

    /** A read of one projection: a token that may read its store. */
    private void read(RoutingContext ctx, java.util.function.Function<String, Object> answer) {
        String name = ctx.pathParam("name");
        String store = worker.names().contains(name) ? worker.config(name).get(FrameworkKeys.STORE) : null;
        if (admitted(ctx, false, store == null ? null : store)) {
            json(ctx, 200, answer.apply(name));
        }
    }

    /** A change of one projection: admin, run off the event loop. */
    private void change(RoutingContext ctx, int status, java.util.function.Consumer<String> action) {
        if (!admitted(ctx, true, null)) {
            return;
        }
        String name = ctx.pathParam("name");
        blocking(ctx, () -> {
            action.accept(name);
            return name;
        }).onSuccess(done -> {
            if (status == 204) {
                ctx.response().setStatusCode(204).end();
            } else {
                json(ctx, status, new JsonObject().put("name", name).put("state", worker.status(name).state().name()));
            }
        });
    }

    // ---- answers ----

    private JsonObject info(String name) {
        return new JsonObject().put("name", name).put("type", worker.pluginClass(name))
                .put("container", worker.container(name))
                .put("config", new JsonObject(new LinkedHashMap<>(worker.config(name))));
    }

    static JsonObject status(ProjectionStatus s) {
        JsonObject body = new JsonObject().put("name", s.name()).put("state", s.state().name())
                .put("checkpoint", new JsonObject().put("position", s.checkpoint()).put("version", s.checkpointVersion()))
                .put("head", new JsonObject().put("position", s.headPosition()).put("version", s.headVersion()))
                .put("lag", new JsonObject().put("events", s.lagEvents()).put("bytes", s.lagBytes()))
                .put("eventsPerSecond", Math.round(s.eventsPerSecond() * 10) / 10.0)
                .put("eventsApplied", s.eventsApplied()).put("eventsSkipped", s.eventsSkipped());
        body.put("error", s.error() == null ? null : new JsonObject().put("message", s.error())
                .put("position", s.errorPosition() < 0 ? null : s.errorPosition()));
        return body;
    }

    private JsonObject plugins() {
        JsonArray list = new JsonArray();
        for (ProjectionPlugins.Plugin plugin : worker.plugins().plugins()) {
            list.add(new JsonObject().put("class", plugin.className()).put("name", plugin.shortName())
                    .put("version", plugin.version()).put("location", plugin.location()));
        }
        JsonArray failures = new JsonArray();
        for (ProjectionPlugins.Failure failure : worker.plugins().failures()) {
            failures.add(new JsonObject().put("location", failure.location()).put("error", failure.error()));
        }
        return new JsonObject().put("plugins", list).put("failures", failures);
    }

    private static JsonObject definition(ConfigKey key) {
        return new JsonObject().put("name", key.name()).put("type", key.type().name())
                .put("required", key.isRequired()).put("default_value", key.defaultValue()).put("documentation", key.doc());
    }

    // ---- plumbing ----

    private static JsonObject body(RoutingContext ctx) {
        try {
            JsonObject body = ctx.body() == null || ctx.body().length() == 0 ? null : ctx.body().asJsonObject();
            if (body == null) {
                throw new WorkerException(400, "invalid_json", "the request needs a JSON object body");
            }
            return body;
        } catch (DecodeException | ClassCastException e) {
            throw new WorkerException(400, "invalid_json", "the body is not a JSON object: " + e.getMessage());
        }
    }

    /** A configuration object's values as strings (numbers and booleans accepted, as Kafka Connect does). */
    private static Map<String, String> configMap(Object value) {
        if (!(value instanceof JsonObject object)) {
            throw new WorkerException(400, "invalid_input", "\"config\" must be a JSON object of string values");
        }
        Map<String, String> config = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : object) {
            Object v = entry.getValue();
            if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                config.put(entry.getKey(), String.valueOf(v));
            } else {
                throw new WorkerException(400, "invalid_input", "configuration '" + entry.getKey()
                        + "' must be a string, number or boolean");
            }
        }
        return config;
    }

    private <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
        Future<T> result = vertx.executeBlocking(work, false);
        result.onFailure(failure -> error(ctx, failure));
        return result;
    }

    private static void json(RoutingContext ctx, int status, Object body) {
        if (ctx.response().ended()) {
            return;
        }
        String text = body instanceof JsonObject o ? o.encode() : body instanceof JsonArray a ? a.encode()
                : String.valueOf(body);
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(text);
    }

    private void failure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure == null) {
            int status = ctx.statusCode();
            error(ctx, new WorkerException(status, status == 413 ? "body_too_large" : "bad_request",
                    status == 413 ? "the body is larger than " + MAX_BODY + " bytes" : "the request failed (" + status + ")"));
            return;
        }
        error(ctx, failure);
    }

    private static void error(RoutingContext ctx, Throwable failure) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        WorkerException error;
        if (failure instanceof WorkerException w) {
            error = w;
        } else if (failure instanceof IllegalArgumentException e) {
            error = new WorkerException(400, "invalid_input", e.getMessage());
        } else {
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
            String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
            error = new WorkerException(500, "internal_error", message);
        }
        json(ctx, error.status(), new JsonObject().put("error", error.code()).put("detail", error.getMessage()));
    }

    /**
     * True if the caller may go on: no tokens configured, or a token that may do it (admin for
     * changes; reading the store, or any store for lists); otherwise answers 401/403.
     */
    private boolean admitted(RoutingContext ctx, boolean change, String store) {
        if (tokens.isEmpty()) {
            return true;
        }
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        if (!tokens.knows(presented)) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"dataplatform\"");
            error(ctx, presented == null
                    ? new WorkerException(401, "unauthorized", "this worker needs a token: send 'Authorization: Bearer <token>'")
                    : new WorkerException(401, "invalid_token", "the token is not known to this worker"));
            return false;
        }
        boolean allowed = change ? tokens.allowsAdmin(presented) : tokens.allowsRead(presented, store);
        if (!allowed) {
            error(ctx, new WorkerException(403, "forbidden", "this token may not " + ctx.request().method() + " "
                    + ctx.request().path() + " (it needs the scope " + (change ? "admin" : "read:" + (store == null ? "<store>" : store)) + ")"));
        }
        return allowed;
    }
}
