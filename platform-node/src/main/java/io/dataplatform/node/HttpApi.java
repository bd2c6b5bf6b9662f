package io.dataplatform.node;

import io.dataplatform.store.StoreException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP API v1 as one table: each route's method, path, access scope, body limit and handler.
 * Cross-cutting rules live here once: refusing requests while stopping, the access check (one
 * hook, {@link #checkAccess}), body limits, the body deadline and the in-flight byte budget, 404
 * for unknown paths, 405 with {@code Allow} for a wrong method, and JSON errors for every failure.
 *
 * <p>Access: with tokens configured, every route but {@code /health} needs
 * {@code Authorization: Bearer <token>} (401 without a known token, with {@code WWW-Authenticate});
 * reads need {@code read:<store>}, appends and imports {@code write:<store>}, delete, reopen and
 * shutdown {@code admin} (403 outside the token's scopes). Unknown paths answer 401 before 404, so
 * that the route table is not shown to strangers.
 */
final class HttpApi {

    /**
     * What a route needs the caller to be allowed; checked in {@link #checkAccess}. TOKEN: any known
     * token; PUBLIC: nobody needs one.
     */
    enum Scope { READ, WRITE, ADMIN, TOKEN, PUBLIC }

    static final int IMPORT_BODY_LIMIT = 64 * 1024;
    private static final String LIMIT_ERROR = "dp.limitError";
    /** Where the caller's {@link Tokens.Grant} is kept in the routing context (absent: open node or no token). */
    static final String GRANT = "dp.grant";
    private static final String REALM = "Bearer realm=\"dataplatform\"";

    private final Router router;
    private final NodeServices services;
    private final Map<String, List<HttpMethod>> methodsByPath = new LinkedHashMap<>();

    private HttpApi(Vertx vertx, NodeServices services) {
        this.router = Router.router(vertx);
        this.services = services;
    }

    static Router router(Vertx vertx, NodeServices services) {
        HttpApi api = new HttpApi(vertx, services);
        StoreRoutes stores = new StoreRoutes(services);
        SystemRoutes system = new SystemRoutes(services);
        api.router.route().handler(api::admit);

        int eventLimit = services.config().maxEventSize();
        api.add(HttpMethod.GET, "/stores", Scope.READ, 0, null, stores::list);
        api.add(HttpMethod.GET, "/stores/:store", Scope.READ, 0, null, stores::stats);
        api.add(HttpMethod.DELETE, "/stores/:store", Scope.ADMIN, 0, null, stores::delete);
        api.add(HttpMethod.POST, "/stores/:store/reopen", Scope.ADMIN, 0, null, stores::reopen);
        api.add(HttpMethod.POST, "/stores/:store/streams/:stream", Scope.WRITE, eventLimit,
                new ApiError(413, "event_too_large", "event data exceeds the limit of " + eventLimit + " bytes"),
                stores::appendOne);
        api.add(HttpMethod.POST, "/stores/:store/events", Scope.WRITE, NodeConfig.MAX_BATCH_BODY,
                new ApiError(413, "body_too_large", "a batch body holds at most " + NodeConfig.MAX_BATCH_BODY
                        + " bytes; stage larger batches and use /import"),
                stores::appendMany);
        api.add(HttpMethod.GET, "/stores/:store/events", Scope.READ, 0, null, stores::read);
        api.add(HttpMethod.POST, "/stores/:store/import", Scope.WRITE, IMPORT_BODY_LIMIT,
                new ApiError(413, "body_too_large", "an import request body holds at most " + IMPORT_BODY_LIMIT + " bytes"),
                stores::importStaged);
        api.add(HttpMethod.GET, "/health", Scope.PUBLIC, 0, null, system::health);
        api.add(HttpMethod.GET, "/metrics", Scope.TOKEN, 0, null, system::metrics);
        api.add(HttpMethod.POST, "/system/shutdown", Scope.ADMIN, 0, null, system::shutdown);

        api.methodsByPath.forEach((path, methods) -> api.router.route(path).handler(ctx -> {
            if (!api.admitted(ctx, Scope.TOKEN)) {
                return;
            }
            String allow = String.join(", ", methods.stream().map(HttpMethod::name).toList());
            ctx.response().putHeader(HttpHeaders.ALLOW, allow);
            ErrorResponses.send(ctx.response(), new ApiError(405, "method_not_allowed",
                    ctx.request().method().name() + " is not allowed on " + ctx.request().path() + "; allowed: " + allow));
        }));
        api.router.route().last().handler(ctx -> {
            if (api.admitted(ctx, Scope.TOKEN)) {
                ErrorResponses.send(ctx.response(), new ApiError(404, "route_not_found",
                        "no route " + ctx.request().method().name() + " " + ctx.request().path()));
            }
        });
        api.router.route().failureHandler(api::failed);
        return api.router;
    }

    private void add(HttpMethod method, String path, Scope scope, int bodyLimit, ApiError tooLarge,
                     Handler<RoutingContext> handler) {
        methodsByPath.computeIfAbsent(path, p -> new ArrayList<>()).add(method);
        // Both guards run before the body is read, so they are platform handlers (vertx-web runs
        // those ahead of the BodyHandler).
        var route = router.route(method, path).handler((PlatformHandler) ctx -> checkAccess(ctx, scope));
        if (bodyLimit > 0) {
            route.handler((PlatformHandler) ctx -> reserveBody(ctx, bodyLimit, tooLarge))
                    .handler(BodyHandler.create(false).setBodyLimit(bodyLimit).setPreallocateBodyBuffer(true))
                    .handler(HttpApi::bodyReceived);
        }
        route.handler(handler);
    }

    /** First handler of every request: counts answers, refuses work once the node is stopping. */
    private void admit(RoutingContext ctx) {
        ctx.addHeadersEndHandler(v -> services.metrics().response(ctx.response().getStatusCode()));
        if (services.stopping().get()) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            ErrorResponses.send(ctx.response(), new ApiError(503, "shutting_down", "the node is stopping", "5"));
            return;
        }
        // broken percent-escapes would make route matching throw; answer them here, as bad input
        String path = ctx.request().path();
        String query = ctx.request().query();
        if (path == null || brokenEscape(path) >= 0 || query != null && brokenEscape(query) >= 0) {
            ErrorResponses.send(ctx.response(), ApiError.badRequest("invalid_path",
                    "the path or query holds a '%' not followed by two hex digits"));
            return;
        }
        ctx.next();
    }

    /** Index of the first '%' not followed by two hex digits, or -1. */
    static int brokenEscape(String text) {
        for (int i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i + 1)) {
            if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0 || Character.digit(text.charAt(i + 2), 16) < 0) {
                return i;
            }
        }
        return -1;
    }

    /** The access check of every route: lets the request on, or answers 401/403. */
    private void checkAccess(RoutingContext ctx, Scope scope) {
        if (admitted(ctx, scope)) {
            ctx.next();
        }
    }

    /**
     * True if the caller may use a route that needs {@code scope} (for the route's store, if it
     * has one); otherwise answers 401 or 403 and returns false. A known token's grant is kept in
     * the context (even on public routes) for handlers that show more to callers who have one.
     */
    private boolean admitted(RoutingContext ctx, Scope scope) {
        Tokens tokens = services.config().tokens();
        if (tokens.isEmpty()) {
            return true;
        }
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim() : null;
        Optional<Tokens.Grant> grant = tokens.find(presented);
        grant.ifPresent(g -> ctx.put(GRANT, g));
        if (scope == Scope.PUBLIC) {
            return true;
        }
        if (grant.isEmpty()) {
            ctx.response().putHeader("WWW-Authenticate",
                    presented == null ? REALM : REALM + ", error=\"invalid_token\"");
            ErrorResponses.send(ctx.response(), presented == null
                    ? new ApiError(401, "unauthorized", "this node needs a token: send 'Authorization: Bearer <token>'")
                    : new ApiError(401, "invalid_token", "the token is not known to this node"));
            return false;
        }
        if (scope == Scope.TOKEN) {
            return true;
        }
        String store = ctx.pathParam("store");
        Tokens.Access access = switch (scope) {
            case READ -> Tokens.Access.READ;
            case WRITE -> Tokens.Access.WRITE;
            default -> Tokens.Access.ADMIN;
        };
        if (!grant.get().allows(access, store)) {
            String needs = access == Tokens.Access.ADMIN ? "admin"
                    : access.name().toLowerCase(Locale.ROOT) + ":" + (store == null ? "<store>" : store);
            ErrorResponses.send(ctx.response(), new ApiError(403, "forbidden", "this token may not "
                    + ctx.request().method().name() + " " + ctx.request().path() + " (it needs the scope " + needs + ")"));
            return false;
        }
        return true;
    }

    /** True if the caller may read {@code store}: always on an open node. */
    static boolean mayRead(RoutingContext ctx, NodeServices services, String store) {
        if (services.config().tokens().isEmpty()) {
            return true;
        }
        Tokens.Grant grant = ctx.get(GRANT);
        return grant != null && grant.allows(Tokens.Access.READ, store);
    }

    /** Refuses a body over the route's limit before reading it, and reserves its bytes in the node's budget. */
    private void reserveBody(RoutingContext ctx, int limit, ApiError tooLarge) {
        ctx.put(LIMIT_ERROR, tooLarge);
        String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        long size = limit;
        if (declared != null) {
            try {
                size = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                ctx.fail(ApiError.badRequest("invalid_content_length", "Content-Length is not a number: " + declared));
                return;
            }
            if (size > limit) {
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                ctx.fail(new ApiError(413, tooLarge.code(), tooLarge.detail() + " (Content-Length " + size + ")"));
                return;
            }
        }
        long reserved = size;
        if (!services.inFlight().tryReserve(reserved)) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            ctx.fail(new ApiError(503, "node_busy", "the node holds " + services.inFlight().reserved()
                    + " bytes of request bodies, its limit; retry later", "1"));
            return;
        }
        ctx.addEndHandler(v -> services.inFlight().release(reserved));
        // a body that trickles in too slowly is dropped, so that it cannot hold its reservation
        long deadline = services.config().requestTimeout().toMillis();
        long timer = ctx.vertx().setTimer(deadline, id -> {
            ctx.remove(BODY_TIMER);
            if (!ctx.response().ended()) {
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                ErrorResponses.send(ctx.response(), new ApiError(408, "request_timeout",
                        "the request body did not arrive within " + deadline + " ms"));
                ctx.request().connection().close();
            }
        });
        ctx.put(BODY_TIMER, timer);
        ctx.addEndHandler(v -> bodyReceived(ctx.vertx(), ctx));
        ctx.next();
    }

    private static final String BODY_TIMER = "dp.bodyTimer";

    private static void bodyReceived(RoutingContext ctx) {
        bodyReceived(ctx.vertx(), ctx);
        ctx.next();
    }

    private static void bodyReceived(Vertx vertx, RoutingContext ctx) {
        Long timer = ctx.remove(BODY_TIMER);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }

    private void failed(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure != null && !(failure instanceof ApiError) && !(failure instanceof StoreException)
                && !ctx.request().isEnded()) {
            // the request's own bytes could not be decoded (a broken chunked body): bad input, not a fault
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            ErrorResponses.send(ctx.response(), ApiError.badRequest("malformed_request",
                    "the request body could not be read: " + failure.getMessage()));
            return;
        }
        if (failure != null) {
            ErrorResponses.answer(ctx, failure);
            return;
        }
        int status = ctx.statusCode();
        ApiError error = switch (status) {
            case 413 -> {
                ApiError limit = ctx.get(LIMIT_ERROR);
                yield limit != null ? limit : new ApiError(413, "body_too_large", "the request body is too large");
            }
            case 400 -> ApiError.badRequest("bad_request", "the request is malformed");
            case 404 -> new ApiError(404, "route_not_found", "no route " + ctx.request().path());
            default -> new ApiError(status >= 400 ? status : 500, "internal_error", "request failed with status " + status);
        };
        if (status == 413) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        ErrorResponses.send(ctx.response(), error);
    }
}
