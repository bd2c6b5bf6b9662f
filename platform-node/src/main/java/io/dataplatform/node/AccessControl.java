package io.dataplatform.node;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

import java.util.Locale;
import java.util.Optional;

/**
 * The node's one access check. With tokens configured, every route but {@code /health} needs
 * {@code Authorization: Bearer <token>} (401 without a known token, with {@code WWW-Authenticate});
 * reads need {@code read:<store>}, appends and imports {@code write:<store>}, delete, reopen and
 * shutdown {@code admin} (403 outside the token's scopes). Without tokens every route is open.
 * Immutable (the tokens are the node's configuration); used from every event loop.
 */
final class AccessControl {

    /**
     * What a route needs the caller to be allowed; checked in {@link #admitted}. TOKEN: any known
     * token; PUBLIC: nobody needs one.
     */
    enum Scope { READ, WRITE, ADMIN, TOKEN, PUBLIC }

    private static final String REALM = "Bearer realm=\"dataplatform\"";

    private final Tokens tokens;

    AccessControl(Tokens tokens) {
        this.tokens = tokens;
    }

    /**
     * True if the caller may use a route that needs {@code scope} (for {@code store}, if the route
     * has one); otherwise answers 401 or 403 and returns false. A known token's grant is kept in
     * the call (even on public routes) for handlers that show more to callers who have one.
     */
    boolean admitted(Call call, Scope scope, String store) {
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

    /**
     * True if the caller of an admitted call may read {@code store}: always on an open node, else
     * if its token's grant allows it (for handlers that list only what the caller may see).
     */
    static boolean mayRead(Call call, NodeServices services, String store) {
        if (services.config().tokens().isEmpty()) {
            return true;
        }
        Tokens.Grant grant = call.grant();
        return grant != null && grant.allows(Tokens.Access.READ, store);
    }
}
