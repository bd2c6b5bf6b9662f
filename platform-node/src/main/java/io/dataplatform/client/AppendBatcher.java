package io.dataplatform.client;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreId;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Gathers single appends of many threads to one store into batch requests
 * ({@code POST /stores/{store}/events}, binary frames), as Kafka's producer gathers records: an
 * accumulator that callers fill and one sender thread that drains it.
 *
 * <ul>
 *   <li>One batch is in flight at a time, and batches leave in the order they were filled, so the
 *       events of one caller are stored in the order it appended them; meanwhile the next batch
 *       fills. Over plain HTTP the next batch's request is written as soon as the previous answer
 *       is read, before that batch's futures are completed, so the node commits it meanwhile. A batch leaves when it is full ({@code maxBatchBytes} of frames or 100,000 events),
 *       when its {@code linger} has passed, or at once when the sender is idle and linger is zero.</li>
 *   <li>Each batch carries a random idempotency key: the node's answer to a retry of a batch it
 *       committed (its first answer lost) is that commit's result, so retries never store an event
 *       twice within the node's window (see docs/http-api.md).</li>
 *   <li>A batch's answer gives its first position, count and last version; each event's own
 *       position follows from the record sizes (a batch is one contiguous atomic commit).</li>
 *   <li>A batch that fails (after the client's retries) fails exactly the futures of its events.</li>
 *   <li>Memory: at most {@code maxBufferedBytes} of frames are held (waiting or in flight); an
 *       append beyond that blocks its caller up to {@code maxBlock}, then fails with
 *       {@code buffer_full}. Besides, up to {@value #POOLED} sent batches are kept for reuse (each
 *       array at most {@code maxBatchBytes}).</li>
 * </ul>
 *
 * Over plain HTTP each sender thread has a {@link NodeConnection} of its own, and a sent batch (its arrays
 * grown already) is kept for reuse: filling a batch allocates nothing after the first few.
 *
 * <p>Thread-safe: appends from any thread; the futures complete on the sender thread, in order (do not
 * block in their callbacks: use the {@code ...Async} stages for slow work). The sender thread runs
 * while there is work and ends after 30 s without any; the next append starts another.
 */
final class AppendBatcher implements AutoCloseable {
    static final String FRAMES = "application/vnd.dataplatform.frames";
    static final String IDEMPOTENCY_KEY = "DP-Idempotency-Key";
    private static final int FIRST_CAPACITY = 16 * 1024;
    /** A sender with nothing to send for this long ends; the next append starts another (no thread leaks from unclosed clients). */
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Batches kept for reuse: one in flight, one filling, one being completed, one spare. */
    private static final int POOLED = 4;

    private final NodeHttp http;
    private final StoreId store;
    private final AppendOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when there may be a batch to send. */
    private final Condition work = lock.newCondition();
    /** Signalled when buffered bytes were released. */
    private final Condition space = lock.newCondition();
    private final ArrayDeque<Batch> full = new ArrayDeque<>();
    /** The running sender thread, or null while there is none; guarded by the lock. */
    private Thread sender;
    private Batch open;
    private long buffered;
    private boolean senderWaiting;
    private boolean flushing;
    private boolean closed;
    private CompletableFuture<AppendResult> last = CompletableFuture.completedFuture(null);
    /** Sent batches kept for reuse (their arrays grown already): at most {@link #POOLED}; guarded by the lock. */
    private final ArrayDeque<Batch> pool = new ArrayDeque<>();

    AppendBatcher(NodeHttp http, StoreId store, AppendOptions options) {
        this.http = http;
        this.store = store;
        this.options = options;
    }

    /** Starts a sender if none runs. Holds the lock. */
    private void ensureSender() {
        if (sender == null) {
            sender = new Thread(this::sendLoop, "dp-client-appender-" + store.value());
            sender.setDaemon(true);
            sender.start();
        }
    }

    /** Queues one event; the future completes with its own position and version once durable. */
    CompletableFuture<AppendResult> append(NewEvent event) {
        if (event.dataLength() > options.maxEventBytes()) {
            return CompletableFuture.failedFuture(new PlatformClientException(413, "event_too_large", "event data of "
                    + event.dataLength() + " bytes exceeds the client's limit of " + options.maxEventBytes() + " bytes", null));
        }
        int frame = 1 + event.streamIdBytes().length + 4 + event.dataLength();
        CompletableFuture<AppendResult> result = new CompletableFuture<>();
        lock.lock();
        try {
            long deadline = 0;
            while (!closed && buffered > 0 && buffered + frame > options.maxBufferedBytes()) {
                long now = System.nanoTime();
                if (deadline == 0) {
                    deadline = now + options.maxBlock().toNanos();
                }
                if (now - deadline >= 0) {
                    return CompletableFuture.failedFuture(new PlatformClientException(0, "buffer_full", "appends to store '"
                            + store + "' hold " + buffered + " bytes, the limit (maxBufferedBytes), for longer than "
                            + options.maxBlock().toMillis() + " ms: the node does not take them as fast as they come", null));
                }
                try {
                    space.awaitNanos(deadline - now);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return CompletableFuture.failedFuture(new PlatformClientException(0, "interrupted",
                            "interrupted while waiting for buffer space", e));
                }
            }
            if (closed) {
                return CompletableFuture.failedFuture(new PlatformClientException(0, "client_closed",
                        "the client of store '" + store + "' is closed", null));
            }
            if (open != null && (open.length + frame > options.maxBatchBytes() || open.count() == AppendOptions.MAX_BATCH_EVENTS)) {
                full.add(open);
                open = null;
            }
            if (open == null) {
                Batch reused = frame <= options.maxBatchBytes() ? pool.poll() : null;
                open = reused != null ? reused.reset(System.nanoTime())
                        : new Batch(System.nanoTime(), Math.max(options.maxBatchBytes(), frame),
                        Math.min(options.maxBatchBytes(), Math.max(FIRST_CAPACITY, frame)));
            }
            open.add(event, frame, result);
            buffered += frame;
            last = result;
            ensureSender();
            if (senderWaiting && (!full.isEmpty() || open.count() == 1 || options.linger().isZero())) {
                senderWaiting = false;
                work.signal();
            }
        } finally {
            lock.unlock();
        }
        return result;
    }

    /** Sends what is queued without waiting for linger, and waits until every append queued before is answered. */
    void flush() {
        CompletableFuture<AppendResult> awaited;
        lock.lock();
        try {
            awaited = last;
            flushing = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        awaited.handle((r, e) -> null).join();
    }

    private void sendLoop() {
        // each sender thread has a connection of its own (null over HTTPS): a sender ending while
        // the next one starts never shares one
        NodeConnection connection = http.connection();
        try {
            Batch ready = null; // a batch whose request is written already, its answer not read yet
            while (true) {
                Batch batch = ready;
                ready = null;
                if (batch == null) {
                    lock.lock();
                    try {
                        batch = next(true);
                        if (batch == null) {
                            // give up the sender role in the same lock hold that found nothing to send:
                            // an append arriving after this starts a new sender instead of relying on us
                            if (sender == Thread.currentThread()) {
                                sender = null;
                            }
                            return;
                        }
                    } finally {
                        lock.unlock();
                    }
                    batch.key = idempotencyKey();
                    batch.written = false;
                }
                AppendResult total = send(batch, connection);
                if (total != null && connection != null) {
                    // the next batch's request goes out before this one's callers are told: the node
                    // commits it while this thread completes thousands of futures
                    lock.lock();
                    try {
                        ready = next(false);
                    } finally {
                        lock.unlock();
                    }
                    if (ready != null) {
                        ready.key = idempotencyKey();
                        write(ready, connection);
                        ready.written = true;
                    }
                }
                complete(batch, total);
                lock.lock();
                try {
                    buffered -= batch.length;
                    space.signalAll();
                    if (pool.size() < POOLED && batch.frames.length <= options.maxBatchBytes()) {
                        pool.add(batch);
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            // interrupted by its owner: end; the next append starts another sender
        } finally {
            if (connection != null) {
                connection.close();
            }
            lock.lock();
            try {
                if (sender == Thread.currentThread()) {
                    sender = null; // however this thread ends, the next append can start a sender
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * The next batch to send, waiting for one ({@code wait}); null once closed and drained, or,
     * without {@code wait}, when none is due now. Holds the lock.
     */
    private Batch next(boolean wait) throws InterruptedException {
        long idleSince = 0;
        while (true) {
            if (!full.isEmpty()) {
                return full.poll();
            }
            if (open != null) {
                long lingered = open.firstNanos + options.linger().toNanos() - System.nanoTime();
                if (lingered <= 0 || closed || flushing) {
                    Batch batch = open;
                    open = null;
                    flushing = false;
                    return batch;
                }
                if (!wait) {
                    return null;
                }
                senderWaiting = true;
                work.awaitNanos(lingered);
                senderWaiting = false;
                continue;
            }
            if (!wait) {
                return null;
            }
            flushing = false;
            if (closed || idleSince != 0 && System.nanoTime() - idleSince >= IDLE_NANOS) {
                return null; // ends this thread; an append after this starts a new one
            }
            if (idleSince == 0) {
                idleSince = System.nanoTime();
            }
            senderWaiting = true;
            work.awaitNanos(IDLE_NANOS);
            senderWaiting = false;
        }
    }

    /** Writes a batch's request on the sender's connection ahead of its exchange. */
    private void write(Batch batch, NodeConnection connection) {
        try {
            connection.write("POST", path(), FRAMES, null, batch.key, batch.frames, 0, batch.length);
        } catch (IOException e) {
            // the exchange's first read finds the connection closed and retries as for any failure
        }
    }

    private String path() {
        return "/stores/" + store.value() + "/events";
    }

    /** Sends a batch (and retries it with its key); its answer, or null after failing its callers. */
    private AppendResult send(Batch batch, NodeConnection connection) {
        String key = batch.key;
        byte[] body = batch.frames;
        int length = batch.length;
        AppendResult total;
        try {
            if (connection != null) {
                NodeConnection.Answer answer = http.exchange(connection, "POST", path(), FRAMES, null, key, body, 0,
                        length, Duration.ZERO, null, batch.written);
                total = http.appendResult(answer, batch.count());
            } else {
                HttpResponse<byte[]> response = http.send(() -> HttpRequest.newBuilder(http.uri(path()))
                                .header("Content-Type", FRAMES).header(IDEMPOTENCY_KEY, key)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, length)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                total = http.appendResult(response, batch.count());
            }
            if (total.count() != batch.count()) {
                throw new PlatformClientException(201, "invalid_answer", "the node answered "
                        + total.count() + " events for a batch of " + batch.count(), null);
            }
        } catch (RuntimeException e) {
            for (CompletableFuture<AppendResult> future : batch.futures) {
                future.completeExceptionally(e);
            }
            return null;
        }
        return total;
    }

    /** Completes the futures of a batch the node committed as {@code total} (nothing for null: failed already). */
    private static void complete(Batch batch, AppendResult total) {
        if (total == null) {
            return;
        }
        if (batch.count() == 1) {
            batch.futures.get(0).complete(total);
            return;
        }
        long position = total.position();
        long firstVersion = total.version() - total.count() + 1;
        boolean durable = total.durable();
        int[] sizes = batch.recordSizes;
        List<CompletableFuture<AppendResult>> futures = batch.futures;
        for (int i = 0, n = futures.size(); i < n; i++) {
            long next = position + sizes[i];
            futures.get(i).complete(new AppendResult(position, next, firstVersion + i, 1, durable));
            position = next;
        }
    }

    /** 128 random bits as 32 hex characters: unique per batch for any practical purpose. */
    private static String idempotencyKey() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }

    /** Refuses new appends, sends what is queued and waits up to {@code timeoutMillis} (0: not at all) for the answers. */
    void close(long timeoutMillis) {
        lock.lock();
        Thread running;
        try {
            closed = true;
            running = sender;
            work.signal();
            space.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            if (timeoutMillis > 0 && running != null) {
                running.join(timeoutMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(TimeUnit.MINUTES.toMillis(5));
    }

    /** Bytes held now (waiting or in flight). */
    long bufferedBytes() {
        lock.lock();
        try {
            return buffered;
        } finally {
            lock.unlock();
        }
    }

    /** Events gathered for one request: their frames, record sizes and futures. Guarded by the lock until sent. */
    private static final class Batch {
        long firstNanos;
        /** The idempotency key of its request, once taken for sending. */
        String key;
        /** True if its request was written ahead of its exchange. */
        boolean written;
        final int maxLength;
        byte[] frames;
        int length;
        int[] recordSizes;
        final List<CompletableFuture<AppendResult>> futures;

        Batch(long firstNanos, int maxLength, int capacity) {
            // sized for a full batch of small events up front: growing the lists cost more than the memory
            int events = Math.max(64, Math.min(AppendOptions.MAX_BATCH_EVENTS, maxLength / 128));
            this.recordSizes = new int[events];
            this.futures = new ArrayList<>(events);
            this.firstNanos = firstNanos;
            this.maxLength = maxLength;
            this.frames = new byte[capacity];
        }

        int count() {
            return futures.size();
        }

        /** This batch, emptied for reuse (its arrays kept). */
        Batch reset(long nanos) {
            firstNanos = nanos;
            length = 0;
            futures.clear();
            key = null;
            written = false;
            return this;
        }

        void add(NewEvent event, int frame, CompletableFuture<AppendResult> future) {
            if (length + frame > frames.length) {
                frames = Arrays.copyOf(frames, Math.min(maxLength, Math.max(length + frame, frames.length * 2)));
            }
            byte[] id = event.streamIdBytes();
            frames[length] = (byte) id.length;
            System.arraycopy(id, 0, frames, length + 1, id.length);
            int at = length + 1 + id.length;
            int n = event.dataLength();
            frames[at] = (byte) (n >>> 24);
            frames[at + 1] = (byte) (n >>> 16);
            frames[at + 2] = (byte) (n >>> 8);
            frames[at + 3] = (byte) n;
            System.arraycopy(event.dataArray(), event.dataOffset(), frames, at + 4, n);
            length += frame;
            int index = futures.size();
            if (index == recordSizes.length) {
                recordSizes = Arrays.copyOf(recordSizes, index * 2);
            }
            recordSizes[index] = event.recordSize();
            futures.add(future);
        }
    }
}
