package io.dataplatform.node;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The request deadline of one event loop's connections: a connection must send a whole request
 * head within the timeout (counted from when it opened or got its previous answer), and then the
 * request's body within the timeout again. One that does not is closed; a late body is answered
 * 408 first.
 *
 * <p>Deadlines are kept in the order they were set, which is the order they expire in (they all
 * add the same timeout), and one periodic sweep closes the expired ones from the front. Setting or
 * clearing a deadline is a map update: no timer per request. A deadline is enforced between its
 * time and one sweep interval later. Touched on its event loop only.
 */
final class ConnectionDeadlines {
    private static final long MIN_SWEEP_MILLIS = 10;
    private static final long MAX_SWEEP_MILLIS = 1000;

    /** A connection's deadline; {@code call} is the request whose body is awaited, or null while awaiting a head. */
    private record Deadline(long nanos, Call call) {
    }

    private final Vertx vertx;
    private final long timeoutNanos;
    private final long timeoutMillis;
    private final Map<HttpConnection, Deadline> pending = new LinkedHashMap<>();
    private final long sweeper;

    ConnectionDeadlines(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.timeoutNanos = timeout.toNanos();
        this.timeoutMillis = timeout.toMillis();
        long interval = Math.max(MIN_SWEEP_MILLIS, Math.min(MAX_SWEEP_MILLIS, timeoutMillis / 10));
        this.sweeper = vertx.setPeriodic(interval, id -> sweep());
    }

    /** A connection opened: it has until the timeout to send a request head, and is forgotten when it closes. */
    void opened(HttpConnection connection) {
        awaitHead(connection);
        connection.closeHandler(v -> pending.remove(connection));
    }

    /** The connection got its answer: the clock for its next request head starts now. */
    void awaitHead(HttpConnection connection) {
        set(connection, null);
    }

    /** A request head arrived. */
    void headArrived(HttpConnection connection) {
        pending.remove(connection);
    }

    /** The head of {@code call} was accepted and its body is being read: the body has until the timeout. */
    void awaitBody(Call call) {
        set(call.request().connection(), call);
    }

    /** The body of {@code call} arrived (or the call ended without it). */
    void bodyArrived(Call call) {
        HttpConnection connection = call.request().connection();
        Deadline deadline = pending.get(connection);
        if (deadline != null && deadline.call() == call) {
            pending.remove(connection);
        }
    }

    private void set(HttpConnection connection, Call call) {
        // remove first: re-inserting moves the connection to the back, where the latest deadlines are
        pending.remove(connection);
        pending.put(connection, new Deadline(System.nanoTime() + timeoutNanos, call));
    }

    private void sweep() {
        long now = System.nanoTime();
        List<Map.Entry<HttpConnection, Deadline>> expired = new ArrayList<>();
        Iterator<Map.Entry<HttpConnection, Deadline>> entries = pending.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<HttpConnection, Deadline> entry = entries.next();
            if (entry.getValue().nanos() - now > 0) {
                break;
            }
            expired.add(Map.entry(entry.getKey(), entry.getValue()));
            entries.remove();
        }
        // answered and closed after the walk: an answer's end handler sets a new deadline in the map
        for (Map.Entry<HttpConnection, Deadline> entry : expired) {
            Call call = entry.getValue().call();
            if (call != null && !call.response().ended() && !call.response().closed()) {
                call.response().putHeader(HttpHeaders.CONNECTION, "close");
                ErrorResponses.send(call.response(), new ApiError(408, "request_timeout",
                        "the request body did not arrive within " + timeoutMillis + " ms"));
            }
            entry.getKey().close();
        }
    }

    void close() {
        vertx.cancelTimer(sweeper);
        pending.clear();
    }
}
