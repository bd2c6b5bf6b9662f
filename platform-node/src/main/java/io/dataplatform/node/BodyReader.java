package io.dataplatform.node;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.Arrays;

/**
 * Reads request bodies within the node's in-flight byte budget: each body into one array, sized
 * by {@code Content-Length} up to {@link #FIRST_RESERVATION} and grown fourfold as bytes arrive
 * beyond that, each growth reserved in the budget first (503 {@code node_busy} when spent), so that
 * requests which declare large bodies and send nothing cannot hold the budget. A body over the
 * route's limit is refused before it is read when its size is declared, and as soon as it passes
 * the limit otherwise; it must arrive within the request timeout ({@link ConnectionDeadlines}).
 * A call's reservation goes back when its answer ends or its connection closes ({@link #release}).
 *
 * <p>One instance per event loop; touched on that event loop only.
 */
final class BodyReader {

    /** Bodies of unknown size are read into an array that starts this big and grows up to the route's limit. */
    private static final int INITIAL_BODY_BUFFER = 16 * 1024;
    /** Body bytes reserved and allocated before any arrive when the size is declared; more as they come. */
    static final int FIRST_RESERVATION = 64 * 1024;

    private final InFlightBytes budget;
    private final ConnectionDeadlines deadlines;

    BodyReader(InFlightBytes budget, ConnectionDeadlines deadlines) {
        this.budget = budget;
        this.deadlines = deadlines;
    }

    /** Reads the body of {@code call}, which takes one by {@code route}, then runs the route's handler. */
    void read(Call call, Route route) {
        HttpServerRequest request = call.request();
        HttpServerResponse response = call.response();
        int limit = route.bodyLimit();
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        long size = limit;
        if (declared != null) {
            // the HTTP decoder has already answered a Content-Length that is not a non-negative
            // number (its own empty 400) without calling us: this catch is a guard only
            try {
                size = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("invalid_content_length", "Content-Length is not a number: " + declared);
            }
            if (size > limit || size < 0) {
                response.putHeader(HttpHeaders.CONNECTION, "close");
                throw new ApiError(413, route.tooLarge().code(), route.tooLarge().detail() + " (Content-Length " + size + ")");
            }
        }
        long first = declared != null ? Math.min(size, FIRST_RESERVATION) : Math.min(limit, INITIAL_BODY_BUFFER);
        if (!reserve(call, first)) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
            throw nodeBusy();
        }
        // a connection closed before its answer gives its reservation back too
        response.closeHandler(v -> release(call));
        deadlines.awaitBody(call);
        if (request.headers().contains(HttpHeaders.EXPECT, "100-continue", true)) {
            response.writeContinue();
        }
        BodyBytes body = new BodyBytes((int) first);
        long most = size;
        request.handler(chunk -> {
            if (response.ended()) {
                return; // already refused: the rest of the body is dropped
            }
            long needed = (long) body.length() + chunk.length();
            if (needed > most) {
                response.putHeader(HttpHeaders.CONNECTION, "close");
                ErrorResponses.send(response, route.tooLarge());
                return;
            }
            if (needed > body.capacity()) {
                // four times, not two: each growth copies what arrived, and a MiB body then grows twice, not four times
                int capacity = (int) Math.min(most, Math.max(4L * body.capacity(), needed));
                if (!reserve(call, capacity - body.capacity())) {
                    response.putHeader(HttpHeaders.CONNECTION, "close");
                    ErrorResponses.send(response, nodeBusy());
                    return;
                }
                body.grow(capacity);
            }
            body.append(chunk);
        });
        request.exceptionHandler(failure -> {
            deadlines.bodyArrived(call);
            if (!response.ended() && !response.closed()) {
                // the request's own bytes could not be decoded (a broken chunked body): bad input, not
                // a fault. Vert.x closes the connection at once, so in practice this answer never gets
                // through and the client sees the connection closed; the guard is for a stream that stays open
                response.putHeader(HttpHeaders.CONNECTION, "close");
                ErrorResponses.send(response, ApiError.badRequest("malformed_request",
                        "the request body could not be read: " + failure.getMessage()));
            }
        });
        request.endHandler(v -> {
            deadlines.bodyArrived(call);
            if (response.ended()) {
                return;
            }
            call.body(body.bytes());
            try {
                route.handler().handle(call);
            } catch (RuntimeException e) {
                ErrorResponses.answer(call, e);
            }
        });
    }

    /** Gives back what {@code call}'s body reserved (nothing if it reserved nothing or gave it back already). */
    void release(Call call) {
        long bytes = call.takeReserved();
        if (bytes > 0) {
            budget.release(bytes);
        }
    }

    /** Reserves {@code bytes} more of the node's budget for {@code call}'s body; false if it is spent. */
    private boolean reserve(Call call, long bytes) {
        if (!budget.tryReserve(bytes)) {
            return false;
        }
        call.reserved(bytes);
        return true;
    }

    private ApiError nodeBusy() {
        return new ApiError(503, "node_busy", "the node holds " + budget.reserved()
                + " bytes of request bodies, its limit; retry later", "1");
    }

    /** A request body read into one array, grown (by the caller, who reserves the bytes) as it arrives. */
    private static final class BodyBytes {
        private byte[] bytes;
        private int length;

        BodyBytes(int capacity) {
            bytes = new byte[capacity];
        }

        int length() {
            return length;
        }

        int capacity() {
            return bytes.length;
        }

        void grow(int capacity) {
            bytes = Arrays.copyOf(bytes, capacity);
        }

        /** Appends {@code chunk}, which fits. */
        void append(Buffer chunk) {
            chunk.getBytes(0, chunk.length(), bytes, length);
            length += chunk.length();
        }

        /** The body, exactly: the array itself when it was filled. */
        byte[] bytes() {
            return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
        }
    }
}
