package io.dataplatform.node;

import io.dataplatform.store.CorruptLogException;
import io.dataplatform.store.InvalidInputException;
import io.dataplatform.store.InvalidPositionException;
import io.dataplatform.store.InvalidStoreIdException;
import io.dataplatform.store.OwnershipLostException;
import io.dataplatform.store.QueueFullException;
import io.dataplatform.store.StorageFullException;
import io.dataplatform.store.StorageUnavailableException;
import io.dataplatform.store.StoreClosedException;
import io.dataplatform.store.StoreFailedException;
import io.dataplatform.store.StoreHeldException;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.StoreRecreatedException;
import io.dataplatform.store.UnsupportedFormatException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The one place where engine futures come back to the event loop and where every failure becomes
 * an HTTP answer: {@code {"error": code, "detail": message}} with a fitting status, never a stack
 * trace. Bad input maps to 4xx; only unexpected failures answer 500 (and are logged).
 */
final class ErrorResponses {
    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    /**
     * Completes the call when {@code engineFuture} does: runs {@code onSuccess} on the call's
     * event loop, or answers the failure. Engine futures complete on writer threads; this hop is
     * what keeps responses on the event loop.
     */
    static <T> void whenDone(Call call, CompletableFuture<T> engineFuture, Consumer<T> onSuccess) {
        engineFuture.whenComplete((result, failure) -> call.context().runOnContext(v -> {
            if (failure == null) {
                succeed(call, result, onSuccess);
            } else {
                answer(call, failure);
            }
        }));
    }

    /** Like {@link #whenDone} for a Vert.x future that completes on the call's context. */
    static <T> void onEventLoop(Call call, Future<T> future, Consumer<T> onSuccess) {
        future.onComplete(ar -> {
            if (ar.succeeded()) {
                succeed(call, ar.result(), onSuccess);
            } else {
                answer(call, ar.cause());
            }
        });
    }

    private static <T> void succeed(Call call, T result, Consumer<T> onSuccess) {
        try {
            onSuccess.accept(result);
        } catch (RuntimeException e) {
            answer(call, e);
        }
    }

    /** Answers {@code failure} as JSON, unless a response was already sent. */
    static void answer(Call call, Throwable failure) {
        HttpServerResponse response = call.response();
        if (response.ended() || response.closed()) {
            return;
        }
        ApiError error = toApiError(unwrap(failure));
        if (error.status() >= 500 && error.status() != 507 && !(failure instanceof ApiError)) {
            log.error("{} {} failed: {}", call.request().method(), call.request().path(), error.detail(), failure);
        }
        send(response, error);
    }

    static void send(HttpServerResponse response, ApiError error) {
        if (response.headWritten()) {
            response.reset();
            return;
        }
        response.setStatusCode(error.status());
        if (error.retryAfterSeconds() != null) {
            response.putHeader("Retry-After", error.retryAfterSeconds());
        }
        String body = new JsonObject().put("error", error.code()).put("detail", error.detail()).encode();
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
    }

    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The status and code a failure is answered with. */
    static ApiError toApiError(Throwable t) {
        if (t instanceof ApiError api) {
            return api;
        }
        if (t instanceof InvalidStoreIdException e) {
            return new ApiError(400, "invalid_store_id", e.getMessage());
        }
        if (t instanceof InvalidPositionException e) {
            return new ApiError(400, "invalid_position", e.getMessage());
        }
        if (t instanceof InvalidInputException e) {
            return new ApiError(400, "invalid_input", e.getMessage());
        }
        if (t instanceof StoreNotFoundException e) {
            return new ApiError(404, "store_not_found", e.getMessage());
        }
        if (t instanceof QueueFullException e) {
            return new ApiError(503, "queue_full", e.getMessage(), "1");
        }
        if (t instanceof StorageFullException e) {
            return new ApiError(507, "storage_full", e.getMessage(), "30");
        }
        if (t instanceof StoreFailedException e) {
            return new ApiError(503, "store_failed", e.getMessage());
        }
        StorageUnavailableException unavailable = StorageUnavailableException.in(t);
        if (unavailable != null) {
            // a commit that failed for want of the storage is reported by the writer wrapped in its own error
            return new ApiError(503, "storage_unavailable", unavailable.getMessage(), "5");
        }
        if (t instanceof StoreHeldException e) {
            return new ApiError(503, "store_held", e.getMessage(), "5");
        }
        if (t instanceof OwnershipLostException e) {
            return new ApiError(503, "store_not_held", e.getMessage(), "1");
        }
        if (t instanceof StoreClosedException e) {
            return new ApiError(503, "store_closed", e.getMessage(), "1");
        }
        if (t instanceof StoreRecreatedException e) {
            return new ApiError(409, "store_recreated", e.getMessage());
        }
        if (t instanceof UnsupportedFormatException e) {
            return new ApiError(500, "unsupported_format", e.getMessage());
        }
        if (t instanceof CorruptLogException e) {
            return new ApiError(500, "corrupt_log", e.getMessage());
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return new ApiError(500, "internal_error", message);
    }
}
