package io.dataplatform.node;

import io.dataplatform.node.AccessControl.Scope;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The HTTP API v1 as one table: each route's method, path, access scope, body limit and handler
 * ({@link Route}), and the dispatcher that serves it. Cross-cutting rules are applied here once,
 * each written in its own class: refusing requests while stopping; the raw path's rules
 * ({@link RequestTarget}); the access check ({@link AccessControl}); body limits, the body
 * deadline and the in-flight byte budget ({@link BodyReader}); 404 for unknown paths, 405 with
 * {@code Allow} for a wrong method, and JSON errors for every failure ({@link ErrorResponses}).
 *
 * <p>Routes are matched segment by segment on the raw path (literal segments, and {@code :name}
 * parameters that match one non-empty segment), allocating nothing per route. Unknown paths answer
 * 401 before 404 on a node with tokens, so that the route table is not shown to strangers.
 *
 * <p>One instance per event loop; touched on that event loop only.
 */
final class HttpApi {

    static final int IMPORT_BODY_LIMIT = 64 * 1024;

    private final NodeServices services;
    private final Context context;
    private final ConnectionDeadlines deadlines;
    private final AccessControl access;
    private final BodyReader bodies;
    private final List<Route> routes = new ArrayList<>();

    HttpApi(NodeServices services, Context context, ConnectionDeadlines deadlines) {
        this.services = services;
        this.context = context;
        this.deadlines = deadlines;
        this.access = new AccessControl(services.config().tokens());
        this.bodies = new BodyReader(services.inFlight(), deadlines);
        StoreRoutes stores = new StoreRoutes(services);
        SystemRoutes system = new SystemRoutes(services);
        int eventLimit = services.config().maxEventSize();
        add(HttpMethod.POST, "/stores/:store/streams/:stream", Scope.WRITE, eventLimit,
                new ApiError(413, "event_too_large", "event data exceeds the limit of " + eventLimit + " bytes"),
                stores::appendOne);
        add(HttpMethod.GET, "/stores", Scope.READ, 0, null, stores::list);
        add(HttpMethod.GET, "/stores/:store", Scope.READ, 0, null, stores::stats);
        add(HttpMethod.DELETE, "/stores/:store", Scope.ADMIN, 0, null, stores::delete);
        add(HttpMethod.POST, "/stores/:store/reopen", Scope.ADMIN, 0, null, stores::reopen);
        add(HttpMethod.POST, "/stores/:store/events", Scope.WRITE, NodeConfig.MAX_BATCH_BODY,
                new ApiError(413, "body_too_large", "a batch body holds at most " + NodeConfig.MAX_BATCH_BODY
                        + " bytes; stage larger batches and use /import"),
                stores::appendMany);
        add(HttpMethod.GET, "/stores/:store/events", Scope.READ, 0, null, stores::read);
        add(HttpMethod.GET, "/stores/:store/commit", Scope.READ, 0, null, stores::commit);
        add(HttpMethod.POST, "/stores/:store/import", Scope.WRITE, IMPORT_BODY_LIMIT,
                new ApiError(413, "body_too_large", "an import request body holds at most " + IMPORT_BODY_LIMIT + " bytes"),
                stores::importStaged);
        add(HttpMethod.GET, "/health", Scope.PUBLIC, 0, null, system::health);
        add(HttpMethod.GET, "/metrics", Scope.TOKEN, 0, null, system::metrics);
        add(HttpMethod.POST, "/system/shutdown", Scope.ADMIN, 0, null, system::shutdown);
    }

    private void add(HttpMethod method, String path, Scope scope, int bodyLimit, ApiError tooLarge, Handler<Call> handler) {
        routes.add(Route.of(method, path, scope, bodyLimit, tooLarge, handler));
    }

    /** Serves one request: answers it now, or once its body and its result are in. */
    void handle(HttpServerRequest request) {
        Call call = new Call(request, context);
        HttpServerResponse response = request.response();
        HttpConnection connection = request.connection();
        response.headersEndHandler(v -> services.metrics().response(response.getStatusCode()));
        response.endHandler(v -> {
            bodies.release(call);
            deadlines.awaitHead(connection);
        });
        try {
            dispatch(call);
        } catch (RuntimeException e) {
            ErrorResponses.answer(call, e);
        }
    }

    private void dispatch(Call call) {
        HttpServerRequest request = call.request();
        if (services.stopping().get()) {
            call.response().putHeader(HttpHeaders.CONNECTION, "close");
            ErrorResponses.send(call.response(), new ApiError(503, "shutting_down", "the node is stopping", "5"));
            return;
        }
        String path = request.path();
        RequestTarget.check(path, request.query());
        int[] starts = new int[RequestTarget.MAX_SEGMENTS];
        int count = RequestTarget.segments(path, starts);
        HttpMethod method = request.method();
        Route route = null;
        boolean pathKnown = false;
        for (int i = 0; i < routes.size() && route == null; i++) {
            Route candidate = routes.get(i);
            if (candidate.matches(path, starts, count)) {
                pathKnown = true;
                if (candidate.method().equals(method)) {
                    route = candidate;
                }
            }
        }
        if (route == null) {
            if (access.admitted(call, Scope.TOKEN, null)) {
                unrouted(call, pathKnown, path, starts, count);
            }
            return;
        }
        String[] values;
        try {
            values = route.paramValues(path, starts, count);
        } catch (ApiError badParameter) {
            if (access.admitted(call, Scope.TOKEN, null)) {
                throw badParameter;
            }
            return;
        }
        call.params(route.paramNames(), values);
        if (!access.admitted(call, route.scope(), call.param("store"))) {
            return;
        }
        if (route.bodyLimit() > 0) {
            bodies.read(call, route);
        } else {
            route.handler().handle(call);
        }
    }

    /** 405 with {@code Allow} if the path has routes but not for this method, else 404. */
    private void unrouted(Call call, boolean pathKnown, String path, int[] starts, int count) {
        String method = call.request().method().name();
        if (!pathKnown) {
            throw new ApiError(404, "route_not_found", "no route " + method + " " + path);
        }
        StringJoiner allow = new StringJoiner(", ");
        for (Route route : routes) {
            if (route.matches(path, starts, count)) {
                allow.add(route.method().name());
            }
        }
        call.response().putHeader(HttpHeaders.ALLOW, allow.toString());
        throw new ApiError(405, "method_not_allowed", method + " is not allowed on " + path + "; allowed: " + allow);
    }
}
