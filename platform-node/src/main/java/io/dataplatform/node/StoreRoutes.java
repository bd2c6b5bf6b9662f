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
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Path;
import java.util.List;

/**
 * Handlers of the {@code /stores} routes. They run on event loops: they parse and validate, hand
 * appends to the engine and blocking calls (reads, listing, stats, staging checks) to the shared
 * worker pool, and answer when the result is back on the event loop.
 */
final class StoreRoutes {
    static final String JSON = "application/json";

    private final NodeServices services;
    private final StoreEngine engine;
    private final EventReads reads;

    StoreRoutes(NodeServices services) {
        this.services = services;
        this.engine = services.engine();
        this.reads = new EventReads(services);
    }

    /** POST /stores/{store}/streams/{stream}: the body is one event's data. */
    void appendOne(RoutingContext ctx) {
        StoreId store = StoreId.of(ctx.pathParam("store"));
        NewEvent event;
        try {
            event = new NewEvent(streamId(ctx.request().path()), ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (InvalidInputException e) {
            throw ApiError.badRequest("invalid_stream_id", e.getMessage());
        }
        ErrorResponses.whenDone(ctx, engine.append(store, List.of(event)), result -> created(ctx, result, false));
    }

    /**
     * The stream id of {@code /stores/{store}/streams/{stream}}, percent-decoded from the raw path
     * strictly: bytes that are not UTF-8 are refused, never replaced (a lenient decoder would turn
     * them into U+FFFD and file the event under a stream the client never named).
     */
    static String streamId(String rawPath) {
        String segment = rawPath.substring(rawPath.lastIndexOf('/') + 1);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                int value = i + 2 < segment.length() ? hex(segment.charAt(i + 1), segment.charAt(i + 2)) : -1;
                if (value < 0) {
                    throw ApiError.badRequest("invalid_stream_id", "the stream id holds a broken percent-escape at character " + i);
                }
                bytes.write(value);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw ApiError.badRequest("invalid_stream_id", "the stream id is not valid UTF-8 once percent-decoded");
        }
    }

    private static int hex(char high, char low) {
        int h = Character.digit(high, 16);
        int l = Character.digit(low, 16);
        return h < 0 || l < 0 ? -1 : h * 16 + l;
    }

    /** POST /stores/{store}/events: many events in one atomic append (binary frames or NDJSON). */
    void appendMany(RoutingContext ctx) {
        StoreId store = StoreId.of(ctx.pathParam("store"));
        String type = mediaType(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE));
        Buffer body = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
        int maxEvent = services.config().maxEventSize();
        long maxRecords = engine.options().maxQueuedBytes(); // a batch larger than a whole queue could never be taken
        List<NewEvent> events;
        if (EventFrames.FRAMES.equals(type)) {
            events = EventFrames.decodeFrames(body, maxEvent, maxRecords);
        } else if (EventFrames.NDJSON.equals(type)) {
            events = EventFrames.decodeNdjson(body, maxEvent, maxRecords);
        } else {
            throw new ApiError(415, "unsupported_media_type", "Content-Type must be " + EventFrames.FRAMES
                    + " or " + EventFrames.NDJSON + ", not " + (type.isEmpty() ? "missing" : type));
        }
        ErrorResponses.whenDone(ctx, engine.append(store, events), result -> created(ctx, result, true));
    }

    /** POST /stores/{store}/import {"location": "..."}: appends a staged batch file atomically. */
    void importStaged(RoutingContext ctx) {
        StoreId store = StoreId.of(ctx.pathParam("store"));
        JsonObject request;
        try {
            request = ctx.body().buffer() == null ? null : new JsonObject(ctx.body().buffer());
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
        ErrorResponses.onEventLoop(ctx,
                staged.compose(path -> Future.fromCompletionStage(engine.importStaged(store, path), ctx.vertx().getOrCreateContext())),
                result -> created(ctx, result, true));
    }

    /** GET /stores/{store}/events?from=&limit=&maxBytes=&wait= */
    void read(RoutingContext ctx) {
        reads.read(ctx, StoreId.of(ctx.pathParam("store")));
    }

    /** GET /stores: every store with its commit pointer (opening a store may recover it: a blocking call). */
    void list(RoutingContext ctx) {
        ErrorResponses.onEventLoop(ctx, services.blocking().executeBlocking(() -> {
            JsonArray stores = new JsonArray();
            for (StoreId id : engine.list()) {
                if (!HttpApi.mayRead(ctx, services, id.value())) {
                    continue; // a token sees only the stores it may read
                }
                CommitPointer pointer = engine.commitPointer(id).orElse(CommitPointer.EMPTY);
                stores.add(new JsonObject().put("store", id.value()).put("commit", pointer(pointer)));
            }
            return stores;
        }), stores -> json(ctx, 200, new JsonObject().put("stores", stores)));
    }

    /** GET /stores/{store}: size and state. */
    void stats(RoutingContext ctx) {
        StoreId store = StoreId.of(ctx.pathParam("store"));
        ErrorResponses.onEventLoop(ctx, services.blocking().executeBlocking(() -> engine.stats(store)), stats -> {
            StoreStats s = stats.orElseThrow(() -> new StoreNotFoundException(store.value()));
            json(ctx, 200, new JsonObject().put("store", store.value()).put("bytes", s.bytes())
                    .put("chunks", s.chunks())
                    .put("commit", new JsonObject().put("position", s.commitPosition()).put("version", s.lastVersion()))
                    .put("durability", engine.options().durability().name().toLowerCase()));
        });
    }

    /** DELETE /stores/{store}: resets the store (all its events are gone; the next append creates it anew). */
    void delete(RoutingContext ctx) {
        StoreId store = StoreId.of(ctx.pathParam("store"));
        ErrorResponses.whenDone(ctx, engine.delete(store), existed -> {
            if (!existed) {
                throw new StoreNotFoundException(store.value());
            }
            json(ctx, 200, new JsonObject().put("store", store.value()).put("deleted", true));
        });
    }

    /** POST /stores/{store}/reopen: closes the store and opens it again from disk, clearing a failure. */
    void reopen(RoutingContext ctx) {
        StoreId store = StoreId.of(ctx.pathParam("store"));
        ErrorResponses.whenDone(ctx, engine.reopen(store), existed -> {
            if (!existed) {
                throw new StoreNotFoundException(store.value());
            }
            json(ctx, 200, new JsonObject().put("store", store.value()).put("reopened", true));
        });
    }

    private static void created(RoutingContext ctx, AppendResult r, boolean withCount) {
        StringBuilder body = new StringBuilder(96).append("{\"position\":").append(r.position())
                .append(",\"next\":").append(r.next()).append(",\"version\":").append(r.version());
        if (withCount) {
            body.append(",\"count\":").append(r.count());
        }
        body.append(",\"durable\":").append(r.durable()).append('}');
        ctx.response().setStatusCode(201).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body.toString());
    }

    static JsonObject pointer(CommitPointer pointer) {
        return new JsonObject().put("position", pointer.position()).put("version", pointer.version());
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body.encode());
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
