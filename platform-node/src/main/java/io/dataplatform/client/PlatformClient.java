package io.dataplatform.client;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.Event;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.ReadLimits;
import io.dataplatform.store.StagedBatchWriter;
import io.dataplatform.store.StagingArea;
import io.dataplatform.store.Storage;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One store as an application sees it, as the original's {@code PlatformClient}: write events
 * through the node, read them directly from storage (or over HTTP where the files are not
 * reachable).
 *
 * <ul>
 *   <li>{@link #connect}: storage location + store + node endpoint: writes through the node,
 *       reads directly from storage; large batches are staged as a file and imported.</li>
 *   <li>{@link #readOnly}: storage location + store, no node: reads only.</li>
 *   <li>{@link #remote}: endpoint + store: writes and reads over HTTP only.</li>
 * </ul>
 *
 * Transient failures are retried with bounded backoff: connection errors, requests without an
 * answer within the request timeout (90 s, plus a long poll's wait; so a node that never answers
 * cannot block a caller forever), 502 and 504, and 503 (honouring {@code Retry-After}) but for
 * {@code store_failed}. Appends carry an idempotency key, so a retried append whose first answer
 * was lost is answered, not stored twice (within the node's window; see docs/http-api.md). Everything else fails at once with {@link PlatformClientException} carrying
 * the node's error code and detail: every 4xx, 500 (a damaged log), 507 {@code storage_full} and
 * 503 {@code store_failed} (the store waits for an operator to reopen it).
 * Thread-safe for writes; {@link #reader()} hands out readers, one per thread.
 */
public final class PlatformClient implements AutoCloseable {
    private static final String FRAMES = "application/vnd.dataplatform.frames";

    private final String storageLocation;
    private final StoreId store;
    private final NodeHttp http;
    private final AppendOptions appendOptions;
    /** Started by the first single append; guarded by this. */
    private AppendBatcher batcher;
    private boolean closed;

    private PlatformClient(String storageLocation, StoreId store, NodeHttp http) {
        this(storageLocation, store, http, AppendOptions.DEFAULT);
    }

    private PlatformClient(String storageLocation, StoreId store, NodeHttp http, AppendOptions appendOptions) {
        this.storageLocation = storageLocation;
        this.store = Objects.requireNonNull(store, "store");
        this.http = http;
        this.appendOptions = Objects.requireNonNull(appendOptions, "appendOptions");
    }

    /**
     * A client like this one (same node, store and storage location) whose single appends are
     * batched with {@code options}. Each client has its own batcher: use the returned client, and
     * close both.
     */
    public PlatformClient withAppendOptions(AppendOptions options) {
        return new PlatformClient(storageLocation, store, http, options);
    }

    /** Writes through the node at {@code endpoint}, reads directly from {@code storageLocation}. */
    public static PlatformClient connect(String storageLocation, StoreId store, URI endpoint) {
        return connect(storageLocation, store, endpoint, NodeCredentials.NONE);
    }

    /** {@link #connect(String, StoreId, URI)} with a token and, for HTTPS, the certificates to trust. */
    public static PlatformClient connect(String storageLocation, StoreId store, URI endpoint, NodeCredentials credentials) {
        return new PlatformClient(Objects.requireNonNull(storageLocation, "storageLocation"), store,
                new NodeHttp(endpoint, NodeHttp.RetryPolicy.DEFAULT, credentials));
    }

    /** Reads directly from storage; every write method throws {@link IllegalStateException}. */
    public static PlatformClient readOnly(String storageLocation, StoreId store) {
        return new PlatformClient(Objects.requireNonNull(storageLocation, "storageLocation"), store, null);
    }

    /** Writes and reads over HTTP only, for where the storage is not reachable. */
    public static PlatformClient remote(URI endpoint, StoreId store) {
        return remote(endpoint, store, NodeCredentials.NONE);
    }

    /** {@link #remote(URI, StoreId)} with a token and, for HTTPS, the certificates to trust. */
    public static PlatformClient remote(URI endpoint, StoreId store, NodeCredentials credentials) {
        return new PlatformClient(null, store, new NodeHttp(endpoint, NodeHttp.RetryPolicy.DEFAULT, credentials));
    }

    public StoreId store() {
        return store;
    }

    /**
     * Appends one event; returns once the node has committed it (durable), with the event's own
     * position and version. The blocking form of {@link #appendAsync}: concurrent callers share
     * batch requests.
     *
     * @throws PlatformClientException if the append failed (its batch failed, or the buffer stayed full)
     */
    public AppendResult append(String streamId, byte[] data) {
        CompletableFuture<AppendResult> result = appendAsync(streamId, data);
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformClientException(0, "interrupted", "interrupted while waiting for an append to store '"
                    + store + "' (it may still be stored)", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new PlatformClientException(0, "append_failed", String.valueOf(cause), cause);
        }
    }

    /**
     * Queues one event for the store and returns at once (unless the client's buffer is full:
     * then it waits, up to {@link AppendOptions#maxBlock()}). Events of concurrent callers travel
     * together in batch requests, as a Kafka producer's records do (see {@link AppendOptions});
     * the future completes once the event is durable with its own position, next position and
     * version ({@code count} 1), or fails with a {@link PlatformClientException} when its batch
     * failed (only the events of that batch fail). The events of one thread are stored in the
     * order it queued them. A batch retried after a lost answer is not stored twice (each batch
     * carries an idempotency key the node remembers for a while, see docs/http-api.md). The
     * futures complete on the client's sender thread: chain slow work with the {@code ...Async}
     * stages.
     *
     * @throws io.dataplatform.store.InvalidInputException for an invalid stream id
     */
    public CompletableFuture<AppendResult> appendAsync(String streamId, byte[] data) {
        return batcher().append(new NewEvent(streamId, data));
    }

    /** Sends the queued single appends now and waits until every one queued before this call is answered. */
    public void flush() {
        AppendBatcher current;
        synchronized (this) {
            current = batcher;
        }
        if (current != null) {
            current.flush();
        }
    }

    private synchronized AppendBatcher batcher() {
        NodeHttp node = node();
        if (closed) {
            throw new PlatformClientException(0, "client_closed", "the client of store '" + store + "' is closed", null);
        }
        if (batcher == null) {
            batcher = new AppendBatcher(node, store, appendOptions);
        }
        return batcher;
    }

    /** Appends events atomically in one request body (up to 64 MiB of frames and 100,000 events; larger: {@link #importBatch}). */
    public AppendResult append(List<NewEvent> events) {
        byte[] body = frames(events);
        String key = UUID.randomUUID().toString(); // a retry after a lost answer is answered, not stored again
        HttpResponse<byte[]> response = node().send(() -> HttpRequest.newBuilder(node().uri("/stores/" + store.value() + "/events"))
                .header("Content-Type", FRAMES).header(AppendBatcher.IDEMPOTENCY_KEY, key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        return node().appendResult(response, events.size());
    }

    /**
     * Appends a large batch atomically: writes it as a batch of its own (a new name each time) in
     * the storage location's staging area and asks the node to import it; the node removes the
     * batch once it is committed, so a retried request cannot append it twice while the node runs.
     * Removes the batch itself if the import fails. Needs a storage location whose staging area this
     * process can write (a directory, for the file backend).
     */
    public AppendResult importBatch(Iterable<NewEvent> events) {
        NodeHttp node = node();
        StagingArea staging = stagingArea();
        String name = "client-" + UUID.randomUUID() + ".batch";
        try {
            try (StagedBatchWriter writer = StagedBatchWriter.create(staging, name)) {
                for (NewEvent event : events) {
                    writer.add(event);
                }
            }
            byte[] body = ("{\"location\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
            String key = UUID.randomUUID().toString(); // a retry after a lost answer is answered, not imported again
            HttpResponse<byte[]> response = node.send(() -> HttpRequest.newBuilder(node.uri("/stores/" + store.value() + "/import"))
                    .header("Content-Type", "application/json").header(AppendBatcher.IDEMPOTENCY_KEY, key)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return node.appendResult(response, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage a batch in " + staging.describe(), e);
        } finally {
            try {
                staging.delete(name);
            } catch (IOException | RuntimeException ignored) {
                // a leftover staged batch is harmless: its name is never used again
            }
        }
    }

    /**
     * A reader of the store: directly from storage if this client has a storage location, else
     * over HTTP. One reader per thread; close it.
     */
    public StoreReader reader() {
        return reader(null);
    }

    /**
     * A reader of the store for a caller resuming a position saved against
     * {@code expectedIncarnation} (null for any): if the store was deleted and created again since,
     * opening or reading fails with {@link io.dataplatform.store.StoreRecreatedException}.
     */
    public StoreReader reader(String expectedIncarnation) {
        if (storageLocation != null) {
            return Storage.openReader(storageLocation, store, expectedIncarnation);
        }
        return remoteReader(expectedIncarnation);
    }

    /** A reader over HTTP, whatever this client's storage location. */
    public RemoteStoreReader remoteReader() {
        return remoteReader(null);
    }

    /** A reader over HTTP for positions of {@code expectedIncarnation} (null for any). */
    public RemoteStoreReader remoteReader(String expectedIncarnation) {
        return new RemoteStoreReader(node(), store, expectedIncarnation);
    }

    /** The commit pointer as it is now. */
    public CommitPointer commitPointer() {
        try (StoreReader reader = reader()) {
            return reader.commitPointer();
        }
    }

    /** The store's incarnation: save it with every position you keep. */
    public String incarnation() {
        try (StoreReader reader = reader()) {
            return reader.incarnation();
        }
    }

    /**
     * Every event from {@code from} to the commit pointer as it is when each batch is read,
     * lazily, in batches of up to {@code maxEvents}. Events are copied out of the batches. Close
     * the iterable's reader by exhausting it or through {@link Events#close()}.
     */
    public Events events(long from, int maxEvents) {
        return events(from, maxEvents, null);
    }

    /**
     * {@link #events(long, int)} from a position saved against {@code expectedIncarnation} (null
     * for any): fails with {@link io.dataplatform.store.StoreRecreatedException} if the store was
     * deleted and created again since.
     */
    public Events events(long from, int maxEvents, String expectedIncarnation) {
        return new Events(reader(expectedIncarnation), from, maxEvents);
    }

    /** {@link #events(long, int)} with the default batch size. */
    public Events events(long from) {
        return events(from, ReadLimits.DEFAULT_MAX_EVENTS);
    }

    /** Lazily read events; holds one reader, closed when iteration ends or on {@link #close()}. */
    public static final class Events implements Iterable<Event>, AutoCloseable {
        private final StoreReader reader;
        private final long from;
        private final int maxEvents;

        Events(StoreReader reader, long from, int maxEvents) {
            this.reader = reader;
            this.from = from;
            this.maxEvents = maxEvents;
        }

        @Override
        public Iterator<Event> iterator() {
            return new Iterator<>() {
                private long next = from;
                private EventBatch batch;
                private int index;
                private boolean done;

                @Override
                public boolean hasNext() {
                    if (done) {
                        return false;
                    }
                    if (batch == null || index >= batch.size()) {
                        batch = reader.read(next, maxEvents, ReadLimits.DEFAULT_MAX_BYTES);
                        index = 0;
                        next = batch.next();
                        if (batch.isEmpty()) {
                            done = true;
                            reader.close();
                            return false;
                        }
                    }
                    return true;
                }

                @Override
                public Event next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return batch.get(index++);
                }
            };
        }

        @Override
        public void close() {
            reader.close();
        }
    }

    private NodeHttp node() {
        if (http == null) {
            throw new IllegalStateException("this client is read-only: it was opened without a node endpoint");
        }
        return http;
    }

    /** The staging area of the storage location, through its backend. */
    private StagingArea stagingArea() {
        if (storageLocation == null) {
            throw new IllegalStateException("importBatch needs a storage location: this client is HTTP-only");
        }
        return Storage.provider(storageLocation).openStagingArea(storageLocation);
    }

    static byte[] frames(List<NewEvent> events) {
        int size = 0;
        for (NewEvent event : events) {
            size += 1 + event.streamIdBytes().length + 4 + event.dataLength();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (NewEvent event : events) {
            out.put((byte) event.streamIdBytes().length).put(event.streamIdBytes())
                    .putInt(event.dataLength()).put(event.dataArray(), event.dataOffset(), event.dataLength());
        }
        return out.array();
    }

    /**
     * Sends the single appends still queued and waits for their answers (those that cannot be sent
     * fail), then stops the sender thread. The HTTP client holds nothing else to release.
     */
    @Override
    public void close() {
        AppendBatcher current;
        synchronized (this) {
            closed = true;
            current = batcher;
        }
        if (current != null) {
            current.close();
        }
    }
}
