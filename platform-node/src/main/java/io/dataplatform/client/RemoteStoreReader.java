package io.dataplatform.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.InvalidPositionException;
import io.dataplatform.store.StoreClosedException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.StoreReader;

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
 * {@link InvalidPositionException}, an unknown store {@link StoreNotFoundException}. Not
 * thread-safe, like every reader; the batch is reused. {@link #commitAfter} (any thread) long-polls
 * the node's commit pointer ({@code GET /stores/{store}/commit?after=&waitMs=}, see
 * {@link RemoteCommitWait}).
 */
public final class RemoteStoreReader implements StoreReader {
    private static final String RECORDS = "application/vnd.dataplatform.records";

    private final NodeHttp http;
    private final StoreId store;
    private final EventBatch batch = new EventBatch();
    private final CRC32C crc = new CRC32C();
    private int waitSeconds;
    /** Waits not yet complete, cancelled when the reader closes. */
    private final Set<CompletableFuture<CommitPointer>> pendingWaits = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    RemoteStoreReader(NodeHttp http, StoreId store) {
        this.http = http;
        this.store = store;
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
    public CommitPointer commitPointer() {
        JsonNode stats = NodeHttp.json(get("/stores/" + store.value(), "application/json", Duration.ZERO).body());
        JsonNode commit = stats.path("commit");
        return new CommitPointer(commit.path("position").asLong(), commit.path("version").asLong());
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
                + "&maxBytes=" + maxBytes + (waitSeconds > 0 ? "&wait=" + waitSeconds : "");
        HttpResponse<byte[]> response = get(query, RECORDS, Duration.ofSeconds(waitSeconds));
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
            throw e;
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
