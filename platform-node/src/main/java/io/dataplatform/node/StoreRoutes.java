package io.dataplatform.node;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.InvalidInputException;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreEngine;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.StoreStats;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.List;

/**
 * Handlers of the {@code /stores} routes. They run on event loops: they parse and validate, hand
 * appends to the engine and blocking calls (reads, listing, stats, staging checks) to the shared
 * worker pool, and answer when the result is back on the event loop.
 */
final class StoreRoutes {
    static final String JSON = "application/json";
    /** The JSON media type as a header value encoded once (headers given as plain strings are checked and encoded per answer). */
    static final CharSequence JSON_HEADER = HttpHeaders.createOptimized(JSON);

    private final NodeServices services;
    private final StoreEngine engine;
    private final EventReads reads;

    StoreRoutes(NodeServices services) {
        this.services = services;
        this.engine = services.engine();
        this.reads = new EventReads(services);
    }

    /** POST /stores/{store}/streams/{stream}: the body is one event's data. */
    void appendOne(Call call) {
        StoreId store = StoreId.of(call.param("store"));
        NewEvent event;
        try {
            event = new NewEvent(call.param("stream"), call.body());
        } catch (InvalidInputException e) {
            throw ApiError.badRequest("invalid_stream_id", e.getMessage());
        }
        ErrorResponses.whenDone(call, engine.append(store, List.of(event)), result -> created(call, result, false));
    }

    /** POST /stores/{store}/events: many events in one atomic append (binary frames or NDJSON). */
    void appendMany(Call call) {
        StoreId store = StoreId.of(call.param("store"));
        String type = mediaType(call.request().getHeader(HttpHeaders.CONTENT_TYPE));
        byte[] body = call.body();
        int maxEvent = services.config().maxEventSize();
        long maxRecords = engine.options().maxQueuedBytes(); // a batch larger than a whole queue could never be taken
        List<NewEvent> events;
        if (EventFrames.FRAMES.equals(type)) {
            events = EventFrames.decodeFrames(body, maxEvent, maxRecords, NodeConfig.MAX_BATCH_EVENTS);
        } else if (EventFrames.NDJSON.equals(type)) {
            events = EventFrames.decodeNdjson(body, maxEvent, maxRecords, NodeConfig.MAX_BATCH_EVENTS);
        } else {
            throw new ApiError(415, "unsupported_media_type", "Content-Type must be " + EventFrames.FRAMES
                    + " or " + EventFrames.NDJSON + ", not " + (type.isEmpty() ? "missing" : type));
        }
        ErrorResponses.whenDone(call, engine.append(store, events), result -> created(call, result, true));
    }

    /** POST /stores/{store}/import {"location": "..."}: appends a staged batch file atomically. */
    void importStaged(Call call) {
        StoreId store = StoreId.of(call.param("store"));
        JsonObject request;
        try {
            request = new JsonObject(Buffer.buffer(call.body()));
        } catch (DecodeException | ClassCastException e) {
            request = null;
        }
        if (request == null || !(request.getValue("location") instanceof String location) || location.isEmpty()) {
            throw ApiError.badRequest("invalid_import", "the body must be a JSON object {\"location\": \"<file in the staging area>\"}");
        }
        Future<Path> staged = services.blocking().executeBlocking(() -> {
            try {
                return engine.stagingArea().resolve(location);
            } catch (InvalidInputException e) {
                throw ApiError.badRequest("invalid_staging_location", e.getMessage());
            }
        });
        ErrorResponses.onEventLoop(call,
                staged.compose(path -> Future.fromCompletionStage(engine.importStaged(store, path), call.context())),
                result -> created(call, result, true));
    }

    /** GET /stores/{store}/events?from=&limit=&maxBytes=&wait= */
    void read(Call call) {
        reads.read(call, StoreId.of(call.param("store")));
    }

    /** GET /stores: every store with its commit pointer (opening a store may recover it: a blocking call). */
    void list(Call call) {
        ErrorResponses.onEventLoop(call, services.blocking().executeBlocking(() -> {
            JsonArray stores = new JsonArray();
            for (StoreId id : engine.list()) {
                if (!HttpApi.mayRead(call, services, id.value())) {
                    continue; // a token sees only the stores it may read
                }
                CommitPointer pointer = engine.commitPointer(id).orElse(CommitPointer.EMPTY);
                stores.add(new JsonObject().put("store", id.value()).put("commit", pointer(pointer)));
            }
            return stores;
        }), stores -> json(call, 200, new JsonObject().put("stores", stores)));
    }

    /** GET /stores/{store}: size and state. */
    void stats(Call call) {
        StoreId store = StoreId.of(call.param("store"));
        ErrorResponses.onEventLoop(call, services.blocking().executeBlocking(() -> engine.stats(store)), stats -> {
            StoreStats s = stats.orElseThrow(() -> new StoreNotFoundException(store.value()));
            json(call, 200, new JsonObject().put("store", store.value()).put("bytes", s.bytes())
                    .put("chunks", s.chunks())
                    .put("commit", new JsonObject().put("position", s.commitPosition()).put("version", s.lastVersion()))
                    .put("durability", engine.options().durability().name().toLowerCase()));
        });
    }

    /** DELETE /stores/{store}: resets the store (all its events are gone; the next append creates it anew). */
    void delete(Call call) {
        StoreId store = StoreId.of(call.param("store"));
        ErrorResponses.whenDone(call, engine.delete(store), existed -> {
            if (!existed) {
                throw new StoreNotFoundException(store.value());
            }
            json(call, 200, new JsonObject().put("store", store.value()).put("deleted", true));
        });
    }

    /** POST /stores/{store}/reopen: closes the store and opens it again from disk, clearing a failure. */
    void reopen(Call call) {
        StoreId store = StoreId.of(call.param("store"));
        ErrorResponses.whenDone(call, engine.reopen(store), existed -> {
            if (!existed) {
                throw new StoreNotFoundException(store.value());
            }
            json(call, 200, new JsonObject().put("store", store.value()).put("reopened", true));
        });
    }

    private static void created(Call call, AppendResult r, boolean withCount) {
        StringBuilder body = new StringBuilder(96).append("{\"position\":").append(r.position())
                .append(",\"next\":").append(r.next()).append(",\"version\":").append(r.version());
        if (withCount) {
            body.append(",\"count\":").append(r.count());
        }
        body.append(",\"durable\":").append(r.durable()).append('}');
        call.response().setStatusCode(201).putHeader(HttpHeaders.CONTENT_TYPE, JSON_HEADER).end(body.toString());
    }

    static JsonObject pointer(CommitPointer pointer) {
        return new JsonObject().put("position", pointer.position()).put("version", pointer.version());
    }

    static void json(Call call, int status, JsonObject body) {
        call.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body.encode());
    }

    /** The media type of a Content-Type header without parameters, lowercase; "" if absent. */
    static String mediaType(String header) {
        if (header == null) {
            return "";
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase();
    }
}
