package io.dataplatform.node;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * One request being answered: the request and its response, the event-loop context it belongs
 * to, its route's path parameters (percent-decoded), its body once read, and the caller's grant.
 * Touched on its event loop only.
 */
final class Call {
    private final HttpServerRequest request;
    private final Context context;
    private String[] paramNames = NO_PARAMS;
    private String[] paramValues = NO_PARAMS;
    private byte[] body = NO_BODY;
    private Tokens.Grant grant;
    /** Bytes of the node's in-flight budget this call holds; given back once, when it ends or its connection closes. */
    private long reserved;

    private static final String[] NO_PARAMS = new String[0];
    private static final byte[] NO_BODY = new byte[0];

    Call(HttpServerRequest request, Context context) {
        this.request = request;
        this.context = context;
    }

    HttpServerRequest request() {
        return request;
    }

    HttpServerResponse response() {
        return request.response();
    }

    /** The event-loop context of the request: answers are written from it. */
    Context context() {
        return context;
    }

    Vertx vertx() {
        return context.owner();
    }

    void params(String[] names, String[] values) {
        this.paramNames = names;
        this.paramValues = values;
    }

    /** A path parameter of the route ({@code store}, {@code stream}), decoded; null if the route has none of that name. */
    String param(String name) {
        for (int i = 0; i < paramNames.length; i++) {
            if (paramNames[i].equals(name)) {
                return paramValues[i];
            }
        }
        return null;
    }

    /**
     * The request body, read whole before the handler runs (empty for routes that take none); the
     * handler may keep it (events can refer to it without a copy) but must not modify it.
     */
    byte[] body() {
        return body;
    }

    void body(byte[] body) {
        this.body = body;
    }

    /** The caller's token grant, or null on a node without tokens or for a caller without a known token. */
    Tokens.Grant grant() {
        return grant;
    }

    void grant(Tokens.Grant grant) {
        this.grant = grant;
    }

    /** Counts {@code bytes} more reserved in the node's budget for this call's body. */
    void reserved(long bytes) {
        this.reserved += bytes;
    }

    /** The reserved bytes, returned once: later calls get 0. */
    long takeReserved() {
        long bytes = reserved;
        reserved = 0;
        return bytes;
    }
}
