package io.dataplatform.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.InvalidPositionException;
import io.dataplatform.store.ReaderWaits;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.StoreRecreatedException;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

/**
 * A {@link StoreReader} over {@code GET /stores/{store}/events}, for where the store's files are
 * not reachable. Batches arrive as the raw records, exactly as stored (the node sends them
 * straight from its chunk files), and every record's checksum is verified here as it is decoded,
 * as a direct reader does. Errors keep the engine's types: an invalid position raises
 * {@link InvalidPositionException}, an unknown store {@link StoreNotFoundException}, a store that
 * is no longer the incarnation the reader was opened for {@link StoreRecreatedException} (the node
 * checks the expected incarnation on every read; without one, the reader keeps the first it sees
 * and refuses a store that changes under it). Not thread-safe, like every reader; the batch is
 * reused. {@link #commitAfter} (any thread) long-polls the node's commit pointer
 * ({@code GET /stores/{store}/commit?after=&waitMs=}, see {@link RemoteCommitWait}).
 *
 * <p>Prefetch: once a batch arrives and more is committed after it, the next batch (same limits,
 * from its {@code next}) is requested at once, on a shared daemon thread, while the caller works
 * on this one; the caller's next read takes it if it asks for exactly that. Memory: two answer
 * buffers, the batch returned last and the one being fetched, each as large as the largest answer
 * (about {@code maxBytes}, or one record larger than that), reused.
 *
 * <p>Connections: over plain HTTP the reader has two {@link NodeConnection}s of its own, kept
 * alive, one for batches (the caller's reads and the prefetches, never at once) whose answers are
 * read from the socket straight into the answer buffers, one for the caller's other requests (the
 * commit pointer); {@link #close()} closes them. Over HTTPS it uses the JDK client.
 */
public final class RemoteStoreReader implements StoreReader {
    static final String RECORDS = "application/vnd.dataplatform.records";
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Threads that run prefetches: each reader has at most one in flight. */
    private static final ExecutorService PREFETCH = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "dp-client-prefetch-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    private final NodeHttp http;
    private final StoreId store;
    private final String expectedIncarnation;
    private final EventBatch batch = new EventBatch();
    private final ReaderWaits waits;
    private final CRC32C crc = new CRC32C();
    private String incarnation;
    private int waitSeconds;
    private boolean prefetching = true;
    /** The answer buffer of the batch returned last, and the other one (free, or being filled by the prefetch). */
    private AnswerBuffer current = new AnswerBuffer();
    private AnswerBuffer spare = new AnswerBuffer();
    private Fetch prefetch;
    /**
     * The reader's own connection over plain HTTP (null until the first fetch, or over HTTPS):
     * used by one fetch at a time, on the caller's thread or the prefetch thread.
     */
    private NodeConnection connection;
    private boolean connectionChecked;
    /** A second connection for the caller's own requests (the commit pointer), which may run beside a prefetch. */
    private NodeConnection control;

    private NodeConnection controlConnection() {
        if (control == null) {
            control = http.connection();
        }
        return control;
    }

    /** A request of a batch: what it asked for, and its answer once there. */
    private record Fetch(long from, int maxEvents, int maxBytes, int waitSeconds, CompletableFuture<Answer> answer) {
        boolean serves(long from, int maxEvents, int maxBytes, int waitSeconds) {
            return this.from == from && this.maxEvents == maxEvents && this.maxBytes == maxBytes && this.waitSeconds == waitSeconds;
        }
    }

    /** An answer's records (in an {@link AnswerBuffer}), where to go on, the commit position and incarnation it reported. */
    private record Answer(ByteBuffer records, long next, long commitPosition, String incarnation) {
    }

    RemoteStoreReader(NodeHttp http, StoreId store, String expectedIncarnation) {
        this.http = http;
        this.store = store;
        this.waits = new ReaderWaits(store.value());
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

    /** Turns prefetching of the next batch on (the default) or off. */
    public RemoteStoreReader prefetch(boolean enabled) {
        this.prefetching = enabled;
        if (!enabled) {
            dropPrefetch();
        }
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
        String path = "/stores/" + store.value();
        JsonNode stats;
        NodeConnection control = controlConnection();
        if (control != null) {
            NodeConnection.Answer answer;
            try {
                answer = http.exchange(control, "GET", path, null, "application/json", null, null, 0, 0,
                        Duration.ZERO, null, false);
            } catch (PlatformClientException e) {
                throw mapped(e);
            }
            stats = NodeHttp.json(answer.body());
        } else {
            stats = NodeHttp.json(get(path, "application/json", Duration.ZERO, HttpResponse.BodyHandlers.ofByteArray()).body());
        }
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
        return waits.start(() -> RemoteCommitWait.start(http, store, after, timeout));
    }

    @Override
    public EventBatch read(long from, int maxEvents, int maxBytes) {
        Answer answer;
        if (prefetch != null && prefetch.serves(from, maxEvents, maxBytes, waitSeconds)) {
            Fetch taken = prefetch;
            prefetch = null;
            answer = await(taken.answer());
        } else {
            dropPrefetch();
            answer = fetch(from, maxEvents, maxBytes, waitSeconds, spare);
        }
        AnswerBuffer filled = spare;
        spare = current;
        current = filled;
        seen(answer.incarnation());
        ReceivedRecords.decode(batch, store.value(), answer.records(), from, crc);
        if (prefetching && !waits.isClosed() && !batch.isEmpty() && answer.next() < answer.commitPosition()) {
            long next = answer.next();
            int wait = waitSeconds;
            AnswerBuffer into = spare;
            prefetch = new Fetch(next, maxEvents, maxBytes, wait, CompletableFuture.supplyAsync(
                    () -> fetch(next, maxEvents, maxBytes, wait, into), PREFETCH));
        }
        return batch;
    }

    /** One GET of a batch into {@code into}; runs on the caller's thread or a prefetch thread. */
    private Answer fetch(long from, int maxEvents, int maxBytes, int wait, AnswerBuffer into) {
        String query = "/stores/" + store.value() + "/events?from=" + from + "&limit=" + maxEvents
                + "&maxBytes=" + maxBytes + (wait > 0 ? "&wait=" + wait : "")
                + (expectedIncarnation != null ? "&incarnation=" + expectedIncarnation : "");
        if (!connectionChecked) {
            connection = http.connection();
            connectionChecked = true;
        }
        if (connection != null) {
            NodeConnection.Answer answer;
            try {
                answer = http.exchange(connection, "GET", query, null, RECORDS, null, null, 0, 0,
                        Duration.ofSeconds(wait), into::arrayFor, false);
            } catch (PlatformClientException e) {
                throw mapped(e);
            }
            return new Answer(into.filled(answer.bodyLength()), answer.next(), answer.commitPosition(),
                    answer.incarnation());
        }
        HttpResponse<ByteBuffer> response = get(query, RECORDS, Duration.ofSeconds(wait), into.handler());
        return new Answer(response.body(), response.headers().firstValueAsLong("DP-Next").orElse(-1),
                response.headers().firstValueAsLong("DP-Commit-Position").orElse(-1),
                response.headers().firstValue("DP-Incarnation").filter(s -> !s.isEmpty()).orElse(null));
    }

    /** Waits for a prefetch still under way (its buffer is about to be reused) and forgets it. */
    private void dropPrefetch() {
        if (prefetch != null) {
            prefetch.answer().handle((a, e) -> null).join();
            prefetch = null;
        }
    }

    private static Answer await(CompletableFuture<Answer> answer) {
        try {
            return answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Bytes held by this reader's answer buffers now. */
    long bufferedBytes() {
        return current.capacity() + spare.capacity();
    }

    /** A GET the node may hold for up to {@code serverWait} (a long poll) before it answers. */
    private <T> HttpResponse<T> get(String pathAndQuery, String accept, Duration serverWait, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(() -> HttpRequest.newBuilder(http.uri(pathAndQuery)).header("Accept", accept).GET().build(),
                    handler, serverWait);
        } catch (PlatformClientException e) {
            throw mapped(e);
        }
    }

    /** The engine's exception for a node's error where there is one, else the error itself. */
    private RuntimeException mapped(PlatformClientException e) {
        if ("invalid_position".equals(e.error())) {
            return new InvalidPositionException(store.value(), -1, e.detail());
        }
        if ("store_not_found".equals(e.error())) {
            return new StoreNotFoundException(store.value());
        }
        if ("store_recreated".equals(e.error())) {
            return new StoreRecreatedException(store.value(), expectedIncarnation, currentIncarnation());
        }
        return e;
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
        waits.close();
        dropPrefetch();
        if (connection != null) {
            connection.close();
        }
        if (control != null) {
            control.close();
        }
    }
}
