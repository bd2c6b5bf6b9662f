package io.dataplatform.node;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.FileBackedReader;
import io.dataplatform.store.LocatedRecords;
import io.dataplatform.store.ReadLimits;
import io.dataplatform.store.RecordFormat;
import io.dataplatform.store.StoreEngine;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.StoreReader;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /stores/{store}/events}: reads a batch on the worker pool (file reads block) and
 * answers it as the raw records (default) or JSON. With {@code wait}, a request whose
 * {@code from} is the commit position long-polls: it waits on the event bus for the store's next
 * commit (or the node stopping, or the timeout; see {@link CommitPolls}), then reads.
 *
 * <p>A waiting connection carries no traffic, so the idle timeout would close it before its
 * answer: a long poll therefore waits at most {@link #longPollLimitMillis} (a margin below the
 * idle timeout), then answers its empty batch as when {@code wait} runs out.
 */
final class EventReads {
    static final String RECORDS = "application/vnd.dataplatform.records";
    /**
     * The records media type as answered: it names the record format version of its body (the
     * log's own, {@link RecordFormat#FORMAT_VERSION}), so that a later format gets a new type.
     */
    static final String RECORDS_TYPE = RECORDS + ";version=" + RecordFormat.FORMAT_VERSION;
    /** Smaller answers are copied: opening the file and a sendfile cost more than copying a few KiB. */
    static final long MIN_SENDFILE_BYTES = 16 * 1024;
    private static final Pattern ACCEPTED_VERSION = Pattern.compile(
            Pattern.quote(RECORDS) + "\\s*;\\s*version\\s*=\\s*\"?([0-9]{1,9})");
    static final int MAX_WAIT_SECONDS = 60;
    static final int MAX_LIMIT = 100_000;
    /** The most a long poll keeps between its answer and the idle timeout. */
    static final long MAX_IDLE_MARGIN_MILLIS = 5_000;

    private final NodeServices services;
    private final StoreEngine engine;
    private final long longPollLimitMillis;
    private final CommitPolls polls;

    EventReads(NodeServices services, CommitPolls polls) {
        this.services = services;
        this.polls = polls;
        this.engine = services.engine();
        this.longPollLimitMillis = longPollLimitMillis(services.config().idleTimeout());
    }

    /**
     * The longest a long poll waits with this idle timeout: a quarter of it (at most 5 s) below
     * it, time enough to read the batch and start the answer before the connection counts as
     * idle. With the default 60 s idle timeout: 55 s.
     */
    static long longPollLimitMillis(Duration idleTimeout) {
        long idle = idleTimeout.toMillis();
        return idle - Math.min(MAX_IDLE_MARGIN_MILLIS, idle / 4);
    }

    /** A read's parameters; {@code incarnation} is the one the caller's position belongs to, or null for any. */
    private record Query(long from, int limit, int maxBytes, int waitSeconds, boolean json, String incarnation) {
    }

    /**
     * A batch rendered on the worker, ready to send: its bytes in {@code body}, or, for raw records
     * found in a chunk file, that file and the records' range ({@code file}, sent with
     * {@code sendfile}: the bytes go from the page cache to the socket without passing through
     * the JVM).
     */
    private record Answer(Buffer body, LocatedRecords file, String contentType, long next,
                          int count, CommitPointer commit, String incarnation) {
        Answer(Buffer body, String contentType, long next, int count, CommitPointer commit, String incarnation) {
            this(body, null, contentType, next, count, commit, incarnation);
        }
    }

    void read(Call call, StoreId store) {
        Query query = parse(call);
        long waitMillis = Math.min(query.waitSeconds() * 1000L, longPollLimitMillis);
        if (waitMillis <= 0) {
            readNow(call, store, query);
            return;
        }
        // the wait counts from now: the idle timeout runs since the request arrived, not since the lookup below
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        // the first look at a store may open and recover it: not on the event loop
        Future<CommitPointer> pointer = services.blocking().executeBlocking(() -> {
            if (query.incarnation() == null) {
                return engine.commitPointer(store).orElseThrow(() -> new StoreNotFoundException(store.value()));
            }
            // a position of another incarnation is refused before waiting, not after
            try (StoreReader reader = engine.openReader(store, query.incarnation())) {
                return reader.commitPointer();
            }
        });
        ErrorResponses.onEventLoop(call, pointer, current -> {
            if (query.from() != current.position()) {
                readNow(call, store, query);
            } else {
                polls.waitForCommit(call, store, query.from(), deadline).onComplete(ar -> readNow(call, store, query));
            }
        });
    }

    private void readNow(Call call, StoreId store, Query query) {
        if (call.response().closed()) {
            return;
        }
        Future<Answer> answer = services.blocking().executeBlocking(() -> {
            try (StoreReader reader = engine.openReader(store, query.incarnation())) {
                if (!query.json() && reader instanceof FileBackedReader files) {
                    LocatedRecords found = files.locate(query.from(), query.limit(), query.maxBytes(), MIN_SENDFILE_BYTES);
                    if (found != null) {
                        try {
                            // read after locating, as after a read: the pointer answered is at or past the records' end
                            return new Answer(null, found, RECORDS_TYPE, found.next(), found.count(),
                                    reader.commitPointer(), reader.incarnation());
                        } catch (RuntimeException e) {
                            found.close();
                            throw e;
                        }
                    }
                }
                EventBatch batch = reader.read(query.from(), query.limit(), query.maxBytes());
                CommitPointer commit = reader.commitPointer();
                String incarnation = reader.incarnation();
                if (query.json()) {
                    return json(store, query.from(), batch, commit, incarnation);
                }
                return records(batch, commit, incarnation);
            }
        });
        ErrorResponses.onEventLoop(call, answer, a -> send(call, a));
    }

    /**
     * Writes an answer once its bytes fit in the node's budget of answers not yet taken by their
     * clients (503 otherwise): a client that asks for large batches and does not read them holds
     * its answer in the node's buffers until the bytes are written to its socket or the connection
     * closes, so without the budget a few such clients could spend the node's memory.
     */
    private void send(Call call, Answer a) {
        if (a.file() != null) {
            sendFile(call, a);
            return;
        }
        long size = a.body().length();
        InFlightBytes answers = services.answers();
        if (!answers.tryReserve(size)) {
            throw new ApiError(503, "node_busy", "the node holds " + answers.reserved()
                    + " bytes of answers its clients have not taken yet, its limit; retry later", "1");
        }
        headers(call, a).end(a.body()).onComplete(written -> answers.release(size));
    }

    /** The answer's status and headers, set on the call's response. */
    private static HttpServerResponse headers(Call call, Answer a) {
        return call.response().setStatusCode(200)
                .putHeader(HttpHeaders.CONTENT_TYPE, a.contentType())
                .putHeader("DP-Next", Long.toString(a.next()))
                .putHeader("DP-Count", Integer.toString(a.count()))
                .putHeader("DP-Commit-Position", Long.toString(a.commit().position()))
                .putHeader("DP-Commit-Version", Long.toString(a.commit().version()))
                .putHeader("DP-Incarnation", a.incarnation() == null ? "" : a.incarnation());
    }

    /**
     * Sends the records straight from their chunk file. Such an answer costs the node no memory
     * (the kernel copies page cache to socket), so it takes nothing from the answers' budget.
     */
    private void sendFile(Call call, Answer a) {
        LocatedRecords records = a.file();
        if (call.response().closed()) {
            records.close();
            return;
        }
        headers(call, a).sendFile(records.file(), records.offset(), records.length()).onComplete(sent -> records.close());
    }

    private static Answer records(EventBatch batch, CommitPointer commit, String incarnation) {
        ByteBuffer raw = batch.rawRecords();
        byte[] bytes = new byte[raw.remaining()];
        raw.get(bytes);
        return new Answer(Buffer.buffer(bytes), RECORDS_TYPE, batch.next(), batch.size(), commit, incarnation);
    }

    private static Answer json(StoreId store, long from, EventBatch batch, CommitPointer commit, String incarnation) {
        Base64.Encoder base64 = Base64.getEncoder();
        StringBuilder out = new StringBuilder(128 + batch.bytes() * 2);
        out.append("{\"store\":\"").append(store.value()).append("\",\"incarnation\":")
                .append(incarnation == null ? "null" : "\"" + incarnation + "\"").append(",\"from\":").append(from)
                .append(",\"next\":").append(batch.next())
                .append(",\"commit\":{\"position\":").append(commit.position())
                .append(",\"version\":").append(commit.version()).append("},\"events\":[");
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"position\":").append(batch.position(i))
                    .append(",\"next\":").append(batch.next(i))
                    .append(",\"version\":").append(batch.version(i))
                    .append(",\"timestamp\":").append(batch.timestamp(i))
                    .append(",\"stream\":");
            out.append(io.vertx.core.json.Json.encode(batch.streamId(i)))
                    .append(",\"data\":\"").append(base64.encodeToString(batch.data(i))).append("\"}");
        }
        out.append("]}");
        return new Answer(Buffer.buffer(out.toString()), StoreRoutes.JSON, batch.next(), batch.size(), commit, incarnation);
    }

    private static Query parse(Call call) {
        MultiMap params = call.request().params();
        long from = number(params, "from", 0, Long.MIN_VALUE, Long.MAX_VALUE);
        int limit = (int) number(params, "limit", ReadLimits.DEFAULT_MAX_EVENTS, 1, MAX_LIMIT);
        int maxBytes = (int) number(params, "maxBytes", ReadLimits.DEFAULT_MAX_BYTES, 1, ReadLimits.MAX_BYTES);
        int wait = (int) number(params, "wait", 0, 0, MAX_WAIT_SECONDS);
        String accept = call.request().getHeader(HttpHeaders.ACCEPT);
        boolean json = accept != null && accept.contains(StoreRoutes.JSON) && !accept.contains(RECORDS);
        if (accept != null && !json) {
            checkRecordFormat(accept);
        }
        String incarnation = params.get("incarnation");
        if (incarnation != null && !isIncarnation(incarnation)) {
            throw ApiError.badRequest("invalid_parameter", "'incarnation' must be 32 lowercase hexadecimal characters"
                    + " (a store's incarnation as GET /stores/{store} and every read answer it), not '" + incarnation + "'");
        }
        return new Query(from, limit, maxBytes, wait, json, incarnation);
    }

    /** Refuses an Accept that asks for raw records of a record format version this node does not write (406). */
    private static void checkRecordFormat(String accept) {
        Matcher version = ACCEPTED_VERSION.matcher(accept);
        if (version.find() && !version.group(1).equals(Integer.toString(RecordFormat.FORMAT_VERSION))) {
            throw new ApiError(406, "not_acceptable", "this node answers records in format version "
                    + RecordFormat.FORMAT_VERSION + " (" + RECORDS_TYPE + "), not version " + version.group(1));
        }
    }

    /** True if {@code text} is 32 lowercase hexadecimal characters. */
    static boolean isIncarnation(String text) {
        if (text.length() != 32) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    static long number(MultiMap params, String name, long fallback, long min, long max) {
        String text = params.get(name);
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("invalid_parameter", "'" + name + "' must be a whole number, not '" + text + "'");
        }
        if (value < min || value > max) {
            throw ApiError.badRequest("invalid_parameter", "'" + name + "' must be between " + min + " and " + max
                    + ", not " + value);
        }
        return value;
    }
}
