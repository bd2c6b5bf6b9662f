package io.dataplatform.node;

import io.dataplatform.metrics.PrometheusMetrics;
import io.dataplatform.store.StorageUnavailableException;
import io.dataplatform.store.StoreException;
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
     * until reopened (state {@code failed}: a failed sync) or cannot be opened (state
     * {@code damaged}), with how many; a caller sees which ones and why for the stores it may read
     * (every store on a node without tokens). The states are the ones {@code GET /stores} lists.
     */
    void health(Call call) {
        Map<StoreId, String> failed = services.engine().failedStores();
        Map<StoreId, StoreException> damaged = services.engine().damagedStores();
        int count = failed.size() + damaged.size();
        JsonObject body = new JsonObject().put("status", count == 0 ? "ok" : "failed")
                .put("durability", services.config().durability().name().toLowerCase());
        if (count > 0) {
            // each caller sees the failed stores it may read; the count tells everyone that some failed
            JsonArray stores = new JsonArray();
            failed.forEach((store, reason) -> {
                if (AccessControl.mayRead(call, services, store.value())) {
                    stores.add(new JsonObject().put("store", store.value()).put("state", "failed")
                            .put("error", "store_failed").put("reason", reason));
                }
            });
            damaged.forEach((store, damage) -> {
                if (AccessControl.mayRead(call, services, store.value())) {
                    ApiError error = ErrorResponses.toApiError(damage);
                    String state = StorageUnavailableException.in(damage) != null ? "unavailable" : "damaged";
                    stores.add(new JsonObject().put("store", store.value()).put("state", state)
                            .put("error", error.code()).put("reason", error.detail()));
                }
            });
            body.put("failedStoreCount", count);
            if (!stores.isEmpty()) {
                body.put("failedStores", stores);
            }
        }
        StoreRoutes.json(call, count == 0 ? 200 : 503, body);
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
