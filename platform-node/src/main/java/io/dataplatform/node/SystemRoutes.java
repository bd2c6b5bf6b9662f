package io.dataplatform.node;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Handlers of {@code /health}, {@code /metrics} and {@code /system/shutdown}. */
final class SystemRoutes {
    private final NodeServices services;

    SystemRoutes(NodeServices services) {
        this.services = services;
    }

    void health(RoutingContext ctx) {
        StoreRoutes.json(ctx, 200, new JsonObject().put("status", "ok")
                .put("durability", services.config().durability().name().toLowerCase()));
    }

    void metrics(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                .end(services.metrics().render());
    }

    /** Answers 202 first, then stops the node gracefully. */
    void shutdown(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        ctx.response().setStatusCode(202).putHeader(HttpHeaders.CONTENT_TYPE, StoreRoutes.JSON)
                .end(new JsonObject().put("status", "stopping").encode())
                .onComplete(ar -> services.requestStop().run());
    }
}
