package io.dataplatform.node;

import io.dataplatform.metrics.PrometheusMetrics;
import io.dataplatform.store.StoreId;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/** Handlers of {@code /health}, {@code /metrics} and {@code /system/shutdown}. */
final class SystemRoutes {
    private final NodeServices services;

    SystemRoutes(NodeServices services) {
        this.services = services;
    }

    /**
     * 200 {@code {"status":"ok"}}, or 503 {@code {"status":"failed"}} while stores refuse writes
     * until reopened (a failed sync), with how many stores failed; a caller sees which ones and why
     * for the stores it may read (every store on a node without tokens).
     */
    void health(Call call) {
        Map<StoreId, String> failed = services.engine().failedStores();
        JsonObject body = new JsonObject().put("status", failed.isEmpty() ? "ok" : "failed")
                .put("durability", services.config().durability().name().toLowerCase());
        if (!failed.isEmpty()) {
            // each caller sees the failed stores it may read; the count tells everyone that some failed
            JsonArray stores = new JsonArray();
            failed.forEach((store, reason) -> {
                if (AccessControl.mayRead(call, services, store.value())) {
                    stores.add(new JsonObject().put("store", store.value()).put("reason", reason));
                }
            });
            body.put("failedStoreCount", failed.size());
            if (!stores.isEmpty()) {
                body.put("failedStores", stores);
            }
        }
        StoreRoutes.json(call, failed.isEmpty() ? 200 : 503, body);
    }

    void metrics(Call call) {
        call.response().putHeader(HttpHeaders.CONTENT_TYPE, PrometheusMetrics.CONTENT_TYPE)
                .end(services.metrics().render());
    }

    /** Answers 202 first, then stops the node gracefully. */
    void shutdown(Call call) {
        call.response().putHeader(HttpHeaders.CONNECTION, "close");
        call.response().setStatusCode(202).putHeader(HttpHeaders.CONTENT_TYPE, StoreRoutes.JSON)
                .end(new JsonObject().put("status", "stopping").encode())
                .onComplete(ar -> services.requestStop().run());
    }
}
