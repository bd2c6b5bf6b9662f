package io.dataplatform.node;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The HTTP API v1 as one table: each route's method, path, access scope, body limit and handler,
 * and the dispatcher that serves it. Cross-cutting rules live here once: refusing requests while
 * stopping, the access check (one hook, {@link #admitted}), body limits, the body deadline and
 * the in-flight byte budget, 404 for unknown paths, 405 with {@code Allow} for a wrong method, and
 * JSON errors for every failure.
 *
 * <p>Routes are matched segment by segment on the raw path (literal segments, and {@code :name}
 * parameters that match one non-empty segment); parameters are percent-decoded strictly, so that
 * bytes that are not UTF-8 are refused rather than replaced. A raw byte outside printable ASCII in
 * the path or query is refused too: the HTTP decoder hands it over as one ISO-8859-1 character, so
 * a raw UTF-8 {@code ü} would otherwise name the stream {@code Ã¼}. Matching allocates nothing per route
 * and uses no regular expression: the append route is the node's hottest code.
 *
 * <p>Access: with tokens configured, every route but {@code /health} needs
 * {@code Authorization: Bearer <token>} (401 without a known token, with {@code WWW-Authenticate});
 * reads need {@code read:<store>}, appends and imports {@code write:<store>}, delete, reopen and
 * shutdown {@code admin} (403 outside the token's scopes). Unknown paths answer 401 before 404, so
 * that the route table is not shown to strangers.
 *
 * <p>One instance per event loop; touched on that event loop only.
 */
final class HttpApi {

    /**
     * What a route needs the caller to be allowed; checked in {@link #admitted}. TOKEN: any known
     * token; PUBLIC: nobody needs one.
     */
    enum Scope { READ, WRITE, ADMIN, TOKEN, PUBLIC }

    static final int IMPORT_BODY_LIMIT = 64 * 1024;
    /** Bodies of unknown size are read into an array that starts this big and grows up to the route's limit. */
    private static final int INITIAL_BODY_BUFFER = 16 * 1024;
    /** Body bytes reserved and allocated before any arrive when the size is declared; more as they come. */
    static final int FIRST_RESERVATION = 64 * 1024;
    private static final String REALM = "Bearer realm=\"dataplatform\"";

    /**
     * One row of the table. {@code segments} are the path's segments: literals, or {@code :name}
     * for a parameter; {@code bodyLimit} 0 means the route reads no body.
     */
    private record Route(HttpMethod method, String path, String[] segments, String[] paramNames, Scope scope,
                         int bodyLimit, ApiError tooLarge, Handler<Call> handler) {

        static Route of(HttpMethod method, String path, Scope scope, int bodyLimit, ApiError tooLarge, Handler<Call> handler) {
            String[] segments = path.substring(1).split("/");
            List<String> names = new ArrayList<>();
            for (String segment : segments) {
                if (segment.startsWith(":")) {
                    names.add(segment.substring(1));
                }
            }
            return new Route(method, path, segments, names.toArray(new String[0]), scope, bodyLimit, tooLarge, handler);
        }

        /** True if the raw path's segments ({@code count} of them, starting at each {@code starts[i]}) fit this route. */
        boolean matches(String path, int[] starts, int count) {
            if (count != segments.length) {
                return false;
            }
            for (int i = 0; i < count; i++) {
                int from = starts[i];
                int to = i + 1 < count ? starts[i + 1] - 1 : path.length();
                String segment = segments[i];
                if (segment.charAt(0) == ':') {
                    if (to == from) {
                        return false;
                    }
                } else if (to - from != segment.length() || !path.regionMatches(from, segment, 0, segment.length())) {
                    return false;
                }
            }
            return true;
        }
    }

    private final NodeServices services;
    private final Context context;
    private final ConnectionDeadlines deadlines;
    private final List<Route> routes = new ArrayList<>();

    HttpApi(NodeServices services, Context context, ConnectionDeadlines deadlines) {
        this.services = services;
        this.context = context;
        this.deadlines = deadlines;
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
            release(call);
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
        String query = request.query();
        if (path == null || !path.startsWith("/")) {
            throw ApiError.badRequest("invalid_path", "the request target must be a path starting with '/'");
        }
        if (brokenEscape(path) >= 0 || query != null && brokenEscape(query) >= 0) {
            throw ApiError.badRequest("invalid_path", "the path or query holds a '%' not followed by two hex digits");
        }
        refuseUnprintable(path, "path");
        if (query != null) {
            refuseUnprintable(query, "query");
        }
        int[] starts = new int[8];
        int count = segments(path, starts);
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
            if (admitted(call, Scope.TOKEN, null)) {
                unrouted(call, pathKnown, path, starts, count);
            }
            return;
        }
        String[] values;
        try {
            values = paramValues(route, path, starts, count);
        } catch (ApiError badParameter) {
            if (admitted(call, Scope.TOKEN, null)) {
                throw badParameter;
            }
            return;
        }
        call.params(route.paramNames(), values);
        if (!admitted(call, route.scope(), call.param("store"))) {
            return;
        }
        if (route.bodyLimit() > 0) {
            readBody(call, route);
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

    /**
     * Splits the raw path (which starts with '/') into segments: fills {@code starts} with where
     * each begins and returns how many there are, or -1 if there are more than {@code starts} holds
     * (no route is that deep).
     */
    static int segments(String path, int[] starts) {
        int count = 0;
        int from = 1;
        while (true) {
            if (count == starts.length) {
                return -1;
            }
            starts[count++] = from;
            int slash = path.indexOf('/', from);
            if (slash < 0) {
                return count;
            }
            from = slash + 1;
        }
    }

    private static String[] paramValues(Route route, String path, int[] starts, int count) {
        String[] values = new String[route.paramNames().length];
        int next = 0;
        for (int i = 0; i < count; i++) {
            if (route.segments()[i].charAt(0) == ':') {
                int to = i + 1 < count ? starts[i + 1] - 1 : path.length();
                String name = route.paramNames()[next];
                values[next++] = decode(path.substring(starts[i], to), name);
            }
        }
        return values;
    }

    /**
     * A path parameter, percent-decoded strictly: bytes that are not UTF-8 are refused, never
     * replaced (a lenient decoder would turn them into U+FFFD and, say, file an event under a
     * stream the client never named). The raw segment is printable ASCII ({@link #refuseUnprintable}).
     */
    static String decode(String segment, String name) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteBuffer bytes = ByteBuffer.allocate(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                int value = i + 2 < segment.length() ? hex(segment.charAt(i + 1), segment.charAt(i + 2)) : -1;
                if (value < 0) {
                    throw ApiError.badRequest("invalid_" + name + "_id", "the " + name
                            + " id holds a broken percent-escape at character " + i);
                }
                bytes.put((byte) value);
                i += 2;
            } else {
                bytes.put((byte) c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes.flip()).toString();
        } catch (CharacterCodingException e) {
            throw ApiError.badRequest("invalid_" + name + "_id", "the " + name + " id is not valid UTF-8 once percent-decoded");
        }
    }

    private static int hex(char high, char low) {
        int h = Character.digit(high, 16);
        int l = Character.digit(low, 16);
        return h < 0 || l < 0 ? -1 : h * 16 + l;
    }

    /**
     * Refuses a raw path or query holding a byte outside printable ASCII (0x21 to 0x7E): such
     * bytes must be percent-encoded (as UTF-8). The decoder gives each byte as the character of
     * the same value, so the detail can name the byte.
     */
    static void refuseUnprintable(String text, String part) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                throw ApiError.badRequest("invalid_path", String.format(Locale.ROOT,
                        "the %s holds the raw byte 0x%02X at character %d: bytes outside printable ASCII must be "
                                + "percent-encoded as UTF-8 (for example %%C3%%BC for \u00fc)", part, (int) c & 0xFF, i));
            }
        }
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

    /**
     * True if the caller may use a route that needs {@code scope} (for {@code store}, if the route
     * has one); otherwise answers 401 or 403 and returns false. A known token's grant is kept in
     * the call (even on public routes) for handlers that show more to callers who have one.
     */
    private boolean admitted(Call call, Scope scope, String store) {
        Tokens tokens = services.config().tokens();
        if (tokens.isEmpty()) {
            return true;
        }
        HttpServerRequest request = call.request();
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim() : null;
        Optional<Tokens.Grant> grant = tokens.find(presented);
        grant.ifPresent(call::grant);
        if (scope == Scope.PUBLIC) {
            return true;
        }
        if (grant.isEmpty()) {
            call.response().putHeader("WWW-Authenticate",
                    presented == null ? REALM : REALM + ", error=\"invalid_token\"");
            ErrorResponses.send(call.response(), presented == null
                    ? new ApiError(401, "unauthorized", "this node needs a token: send 'Authorization: Bearer <token>'")
                    : new ApiError(401, "invalid_token", "the token is not known to this node"));
            return false;
        }
        if (scope == Scope.TOKEN) {
            return true;
        }
        Tokens.Access access = switch (scope) {
            case READ -> Tokens.Access.READ;
            case WRITE -> Tokens.Access.WRITE;
            default -> Tokens.Access.ADMIN;
        };
        if (!grant.get().allows(access, store)) {
            String needs = access == Tokens.Access.ADMIN ? "admin"
                    : access.name().toLowerCase(Locale.ROOT) + ":" + (store == null ? "<store>" : store);
            ErrorResponses.send(call.response(), new ApiError(403, "forbidden", "this token may not "
                    + request.method().name() + " " + request.path() + " (it needs the scope " + needs + ")"));
            return false;
        }
        return true;
    }

    /** True if the caller may read {@code store}: always on an open node. */
    static boolean mayRead(Call call, NodeServices services, String store) {
        if (services.config().tokens().isEmpty()) {
            return true;
        }
        Tokens.Grant grant = call.grant();
        return grant != null && grant.allows(Tokens.Access.READ, store);
    }

    /**
     * Reads the body of a route that takes one, then runs its handler. A body over the route's
     * limit is refused before it is read when its size is declared, and as soon as it passes the
     * limit otherwise; it must arrive within the request timeout. Its bytes are reserved in the
     * node's budget as its array grows (503 when spent): the first {@link #FIRST_RESERVATION}
     * bytes before reading, more only as they arrive, so that requests which declare large bodies
     * and send nothing cannot hold the budget.
     */
    private void readBody(Call call, Route route) {
        HttpServerRequest request = call.request();
        HttpServerResponse response = call.response();
        int limit = route.bodyLimit();
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        long size = limit;
        if (declared != null) {
            // the HTTP decoder has already answered a Content-Length that is not a non-negative
            // number (its own empty 400) without calling us: this catch is a guard only
            try {
                size = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("invalid_content_length", "Content-Length is not a number: " + declared);
            }
            if (size > limit || size < 0) {
                response.putHeader(HttpHeaders.CONNECTION, "close");
                throw new ApiError(413, route.tooLarge().code(), route.tooLarge().detail() + " (Content-Length " + size + ")");
            }
        }
        long first = declared != null ? Math.min(size, FIRST_RESERVATION) : Math.min(limit, INITIAL_BODY_BUFFER);
        if (!reserve(call, first)) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
            throw nodeBusy();
        }
        // a connection closed before its answer gives its reservation back too
        response.closeHandler(v -> release(call));
        deadlines.awaitBody(call);
        if (request.headers().contains(HttpHeaders.EXPECT, "100-continue", true)) {
            response.writeContinue();
        }
        BodyBytes body = new BodyBytes((int) first);
        long most = size;
        request.handler(chunk -> {
            if (response.ended()) {
                return; // already refused: the rest of the body is dropped
            }
            long needed = (long) body.length() + chunk.length();
            if (needed > most) {
                response.putHeader(HttpHeaders.CONNECTION, "close");
                ErrorResponses.send(response, route.tooLarge());
                return;
            }
            if (needed > body.capacity()) {
                int capacity = (int) Math.min(most, Math.max(2L * body.capacity(), needed));
                if (!reserve(call, capacity - body.capacity())) {
                    response.putHeader(HttpHeaders.CONNECTION, "close");
                    ErrorResponses.send(response, nodeBusy());
                    return;
                }
                body.grow(capacity);
            }
            body.append(chunk);
        });
        request.exceptionHandler(failure -> {
            deadlines.bodyArrived(call);
            if (!response.ended() && !response.closed()) {
                // the request's own bytes could not be decoded (a broken chunked body): bad input, not
                // a fault. Vert.x closes the connection at once, so in practice this answer never gets
                // through and the client sees the connection closed; the guard is for a stream that stays open
                response.putHeader(HttpHeaders.CONNECTION, "close");
                ErrorResponses.send(response, ApiError.badRequest("malformed_request",
                        "the request body could not be read: " + failure.getMessage()));
            }
        });
        request.endHandler(v -> {
            deadlines.bodyArrived(call);
            if (response.ended()) {
                return;
            }
            call.body(body.bytes());
            try {
                route.handler().handle(call);
            } catch (RuntimeException e) {
                ErrorResponses.answer(call, e);
            }
        });
    }

    /** A body being read: one array, copied into once per chunk, grown by doubling when the size was not declared. */
    /** A request body read into one array, grown (by the caller, who reserves the bytes) as it arrives. */
    private static final class BodyBytes {
        private byte[] bytes;
        private int length;

        BodyBytes(int capacity) {
            bytes = new byte[capacity];
        }

        int length() {
            return length;
        }

        int capacity() {
            return bytes.length;
        }

        void grow(int capacity) {
            bytes = Arrays.copyOf(bytes, capacity);
        }

        /** Appends {@code chunk}, which fits. */
        void append(Buffer chunk) {
            chunk.getBytes(0, chunk.length(), bytes, length);
            length += chunk.length();
        }

        /** The body, exactly: the array itself when it was filled. */
        byte[] bytes() {
            return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
        }
    }

    /** Reserves {@code bytes} more of the node's budget for {@code call}'s body; false if it is spent. */
    private boolean reserve(Call call, long bytes) {
        if (!services.inFlight().tryReserve(bytes)) {
            return false;
        }
        call.reserved(bytes);
        return true;
    }

    private ApiError nodeBusy() {
        return new ApiError(503, "node_busy", "the node holds " + services.inFlight().reserved()
                + " bytes of request bodies, its limit; retry later", "1");
    }

    private void release(Call call) {
        long bytes = call.takeReserved();
        if (bytes > 0) {
            services.inFlight().release(bytes);
        }
    }
}
