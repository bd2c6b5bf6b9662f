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

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * Handlers of the {@code /stores} routes. They run on event loops: they parse and validate, hand
 * appends to the engine and blocking calls (reads, listing, stats, staging checks, decoding large
 * batch bodies) to the shared worker pool, and answer when the result is back on the event loop.
 */
final class StoreRoutes {
    static final String JSON = "application/json";
    /**
     * Batch bodies larger than this are decoded on the worker pool, not on the event loop. On two
     * cores a MiB of frames decoded in under 10 ms (events are slices of the body), a MiB of
     * NDJSON in 10 to 110 ms (a JSON object and a base64 decode per line), so NDJSON moves off
     * much sooner.
     */
    static final int FRAMES_ON_EVENT_LOOP = 1024 * 1024;
    static final int NDJSON_ON_EVENT_LOOP = 64 * 1024;
    /** The JSON media type as a header value encoded once (headers given as plain strings are checked and encoded per answer). */
    static final CharSequence JSON_HEADER = HttpHeaders.createOptimized(JSON);

    private final NodeServices services;
    private final StoreEngine engine;
    private final EventReads reads;
    private final CommitPolls polls;

    StoreRoutes(NodeServices services) {
        this.services = services;
        this.engine = services.engine();
        this.polls = new CommitPolls(services);
        this.reads = new EventReads(services, polls);
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
        boolean frames = EventFrames.FRAMES.equals(type);
        if (!frames && !EventFrames.NDJSON.equals(type)) {
            throw new ApiError(415, "unsupported_media_type", "Content-Type must be " + EventFrames.FRAMES
                    + " or " + EventFrames.NDJSON + ", not " + (type.isEmpty() ? "missing" : type));
        }
        byte[] body = call.body();
        String key = call.request().getHeader(IdempotentAppends.HEADER);
        if (key != null) {
            IdempotentAppends.checkKey(key);
        }
        if (body.length <= (frames ? FRAMES_ON_EVENT_LOOP : NDJSON_ON_EVENT_LOOP)) {
            append(call, store, decode(frames, body), key, body);
            return;
        }
        // unordered: one large body need not wait for the reads and decodes queued before it
        Future<List<NewEvent>> events = services.blocking().executeBlocking(() -> decode(frames, body), false);
        ErrorResponses.onEventLoop(call, events, decoded -> append(call, store, decoded, key, body));
    }

    /** Appends the events, or, for a key seen before, answers that append's result (see {@link IdempotentAppends}). */
    private void append(Call call, StoreId store, List<NewEvent> events, String key, byte[] body) {
        if (key == null) {
            append(call, store, events);
            return;
        }
        CRC32C crc = new CRC32C();
        crc.update(body, 0, body.length);
        ErrorResponses.whenDone(call, services.idempotent().appendOnce(store, key, crc.getValue(), body.length,
                () -> engine.append(store, events)), result -> created(call, result, true));
    }

    private List<NewEvent> decode(boolean frames, byte[] body) {
        int maxEvent = services.config().maxEventSize();
        long maxRecords = engine.options().maxQueuedBytes(); // a batch larger than a whole queue could never be taken
        return frames ? EventFrames.decodeFrames(body, maxEvent, maxRecords, NodeConfig.MAX_BATCH_EVENTS)
                : EventFrames.decodeNdjson(body, maxEvent, maxRecords, NodeConfig.MAX_BATCH_EVENTS);
    }

    private void append(Call call, StoreId store, List<NewEvent> events) {
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
        String key = call.request().getHeader(IdempotentAppends.HEADER);
        if (key != null) {
            IdempotentAppends.checkKey(key);
        }
        // the staged batch is looked up only by the first request of a key: a replay finds it consumed
        Supplier<CompletableFuture<AppendResult>> importing = () -> services.blocking().executeBlocking(() -> {
            try {
                return engine.stagingArea().batch(location);
            } catch (InvalidInputException e) {
                throw ApiError.badRequest("invalid_staging_location", e.getMessage());
            }
        }).toCompletionStage().toCompletableFuture().thenCompose(batch -> engine.importStaged(store, batch));
        if (key == null) {
            ErrorResponses.whenDone(call, importing.get(), result -> created(call, result, true));
            return;
        }
        byte[] body = call.body();
        CRC32C crc = new CRC32C();
        crc.update(body, 0, body.length);
        ErrorResponses.whenDone(call, services.idempotent().appendOnce(store, key, crc.getValue(), body.length, importing),
                result -> created(call, result, true));
    }

    /** GET /stores/{store}/events?from=&limit=&maxBytes=&wait= */
    void read(Call call) {
        reads.read(call, StoreId.of(call.param("store")));
    }

    /** GET /stores/{store}/commit?after=&waitMs=: the commit pointer, long-polling for one past {@code after}. */
    void commit(Call call) {
        polls.poll(call, StoreId.of(call.param("store")));
    }

    /**
     * GET /stores: every store with its state and commit pointer (opening a store may recover it: a
     * blocking call). A store that cannot be opened is listed with state {@code damaged} and the
     * error reading it would answer, and the others are listed all the same.
     */
    void list(Call call) {
        ErrorResponses.onEventLoop(call, services.blocking().executeBlocking(() -> {
            JsonArray stores = new JsonArray();
            Map<StoreId, String> failed = engine.failedStores();
            for (StoreId id : engine.list()) {
                if (!AccessControl.mayRead(call, services, id.value())) {
                    continue; // a token sees only the stores it may read
                }
                stores.add(listed(id, failed.get(id)));
            }
            return stores;
        }), stores -> json(call, 200, new JsonObject().put("stores", stores)));
    }

    /** One store of the listing: {@code ok}, {@code failed} (refuses writes) or {@code damaged} (cannot be opened). */
    private JsonObject listed(StoreId id, String refusal) {
        JsonObject entry = new JsonObject().put("store", id.value());
        CommitPointer pointer;
        try {
            pointer = engine.commitPointer(id).orElse(null);
        } catch (RuntimeException e) {
            ApiError error = ErrorResponses.toApiError(ErrorResponses.unwrap(e));
            return entry.put("state", "damaged").put("error", error.code()).put("detail", error.detail());
        }
        if (pointer == null) {
            return entry.put("state", "deleted"); // deleted between the listing and this look
        }
        entry.put("state", refusal == null ? "ok" : "failed").put("commit", pointer(pointer));
        if (refusal != null) {
            entry.put("error", "store_failed").put("detail", refusal);
        }
        return entry;
    }

    /** GET /stores/{store}: size and state. */
    void stats(Call call) {
        StoreId store = StoreId.of(call.param("store"));
        ErrorResponses.onEventLoop(call, services.blocking().executeBlocking(() -> engine.stats(store)), stats -> {
            StoreStats s = stats.orElseThrow(() -> new StoreNotFoundException(store.value()));
            json(call, 200, new JsonObject().put("store", store.value()).put("incarnation", s.incarnation())
                    .put("bytes", s.bytes())
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
