package io.dataplatform.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.InvalidPositionException;
import io.dataplatform.store.StoreClosedException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.StoreRecreatedException;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * A {@link StoreReader} over {@code GET /stores/{store}/events}, for where the store's files are
 * not reachable. Batches arrive as the raw records and every record's checksum is verified here,
 * as a direct reader does. Errors keep the engine's types: an invalid position raises
 * {@link InvalidPositionException}, an unknown store {@link StoreNotFoundException}, a store that
 * is no longer the incarnation the reader was opened for {@link StoreRecreatedException} (the node
 * checks the expected incarnation on every read; without one, the reader keeps the first it sees
 * and refuses a store that changes under it). Not thread-safe, like every reader; the batch is
 * reused. {@link #commitAfter} (any thread) long-polls the node's commit pointer
 * ({@code GET /stores/{store}/commit?after=&waitMs=}, see {@link RemoteCommitWait}).
 */
public final class RemoteStoreReader implements StoreReader {
    private static final String RECORDS = "application/vnd.dataplatform.records";

    private final NodeHttp http;
    private final StoreId store;
    private final String expectedIncarnation;
    private final EventBatch batch = new EventBatch();
    private final CRC32C crc = new CRC32C();
    private String incarnation;
    private int waitSeconds;
    /** Waits not yet complete, cancelled when the reader closes. */
    private final Set<CompletableFuture<CommitPointer>> pendingWaits = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    RemoteStoreReader(NodeHttp http, StoreId store, String expectedIncarnation) {
        this.http = http;
        this.store = store;
        this.expectedIncarnation = expectedIncarnation;
    }

    @Override
    public StoreId store() {
        return store;
    }

    /**
     * Makes later reads at the commit position long-poll up to {@code seconds} (at most 60) for
     * the next commit instead of returning an empty batch at once.
     */
    public RemoteStoreReader waitForCommits(int seconds) {
        this.waitSeconds = seconds;
        return this;
    }

    @Override
    public String incarnation() {
        if (incarnation == null) {
            stats();
        }
        return incarnation;
    }

    @Override
    public CommitPointer commitPointer() {
        JsonNode commit = stats().path("commit");
        return new CommitPointer(commit.path("position").asLong(), commit.path("version").asLong());
    }

    /** {@code GET /stores/{store}}, its incarnation checked. */
    private JsonNode stats() {
        JsonNode stats = NodeHttp.json(get("/stores/" + store.value(), "application/json", Duration.ZERO).body());
        JsonNode found = stats.path("incarnation");
        seen(found.isTextual() ? found.asText() : null);
        return stats;
    }

    /** Checks an incarnation the node answered against the expected one, or the first one seen. */
    private void seen(String actual) {
        String known = expectedIncarnation != null ? expectedIncarnation : incarnation;
        if (known != null && !known.equals(actual)) {
            throw new StoreRecreatedException(store.value(), known, actual);
        }
        incarnation = actual;
    }

    @Override
    public CompletableFuture<CommitPointer> commitAfter(long after, Duration timeout) {
        if (closed) {
            return CompletableFuture.failedFuture(new StoreClosedException(store.value(),
                    "this reader of store '" + store + "' is closed"));
        }
        CompletableFuture<CommitPointer> wait = RemoteCommitWait.start(http, store, after, timeout);
        if (!wait.isDone()) {
            pendingWaits.add(wait);
            wait.whenComplete((pointer, error) -> pendingWaits.remove(wait));
            if (closed) {
                wait.cancel(false);
            }
        }
        return wait;
    }

    @Override
    public EventBatch read(long from, int maxEvents, int maxBytes) {
        String query = "/stores/" + store.value() + "/events?from=" + from + "&limit=" + maxEvents
                + "&maxBytes=" + maxBytes + (waitSeconds > 0 ? "&wait=" + waitSeconds : "")
                + (expectedIncarnation != null ? "&incarnation=" + expectedIncarnation : "");
        HttpResponse<byte[]> response = get(query, RECORDS, Duration.ofSeconds(waitSeconds));
        seen(response.headers().firstValue("DP-Incarnation").filter(s -> !s.isEmpty()).orElse(null));
        return ReceivedRecords.decode(batch, store.value(), ByteBuffer.wrap(response.body()), from, crc);
    }

    /** A GET the node may hold for up to {@code serverWait} (a long poll) before it answers. */
    private HttpResponse<byte[]> get(String pathAndQuery, String accept, Duration serverWait) {
        try {
            return http.send(() -> HttpRequest.newBuilder(http.uri(pathAndQuery)).header("Accept", accept).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray(), serverWait);
        } catch (PlatformClientException e) {
            if ("invalid_position".equals(e.error())) {
                throw new InvalidPositionException(store.value(), -1, e.detail());
            }
            if ("store_not_found".equals(e.error())) {
                throw new StoreNotFoundException(store.value());
            }
            if ("store_recreated".equals(e.error())) {
                throw new StoreRecreatedException(store.value(), expectedIncarnation, currentIncarnation());
            }
            throw e;
        }
    }

    /** The store's incarnation as the node has it now, or null if it cannot be asked. */
    private String currentIncarnation() {
        try {
            JsonNode found = NodeHttp.json(http.send(() -> HttpRequest.newBuilder(http.uri("/stores/" + store.value()))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray()).body())
                    .path("incarnation");
            return found.isTextual() ? found.asText() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        closed = true;
        for (CompletableFuture<CommitPointer> wait : pendingWaits) {
            wait.cancel(false);
        }
    }
}
