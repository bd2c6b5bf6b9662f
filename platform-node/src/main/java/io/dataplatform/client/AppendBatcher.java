package io.dataplatform.client;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreId;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 *       fills. A batch leaves when it is full ({@code maxBatchBytes} of frames or 100,000 events),
 *       when its {@code linger} has passed, or at once when the sender is idle and linger is zero.</li>
 *   <li>Each batch carries a random idempotency key: the node's answer to a retry of a batch it
 *       committed (its first answer lost) is that commit's result, so retries never store an event
 *       twice within the node's window (see docs/http-api.md).</li>
 *   <li>A batch's answer gives its first position, count and last version; each event's own
 *       position follows from the record sizes (a batch is one contiguous atomic commit).</li>
 *   <li>A batch that fails (after the client's retries) fails exactly the futures of its events.</li>
 *   <li>Memory: at most {@code maxBufferedBytes} of frames are held (waiting or in flight); an
 *       append beyond that blocks its caller up to {@code maxBlock}, then fails with
 *       {@code buffer_full}.</li>
 * </ul>
 *
 * Thread-safe: appends from any thread; the futures complete on the sender thread, in order (do not
 * block in their callbacks: use the {@code ...Async} stages for slow work). The sender thread runs
 * while there is work and ends after 30 s without any; the next append starts another.
 */
final class AppendBatcher implements AutoCloseable {
    static final String FRAMES = "application/vnd.dataplatform.frames";
    static final String IDEMPOTENCY_KEY = "DP-Idempotency-Key";
    private static final int FIRST_CAPACITY = 16 * 1024;
    /** A sender with nothing to send for this long ends; the next append starts another (no thread leaks from unclosed clients). */
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);

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
                open = new Batch(System.nanoTime(), Math.max(options.maxBatchBytes(), frame), Math.min(options.maxBatchBytes(), Math.max(FIRST_CAPACITY, frame)));
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
        try {
            while (true) {
                Batch batch;
                lock.lock();
                try {
                    batch = next();
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
                send(batch);
                lock.lock();
                try {
                    buffered -= batch.length;
                    space.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            // interrupted by its owner: end; the next append starts another sender
        } finally {
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

    /** The next batch to send, waiting for one; null once closed and drained. Holds the lock. */
    private Batch next() throws InterruptedException {
        long idleSince = 0;
        while (true) {
            if (!full.isEmpty()) {
                return full.poll();
            }
            if (open != null) {
                long wait = open.firstNanos + options.linger().toNanos() - System.nanoTime();
                if (wait <= 0 || closed || flushing) {
                    Batch batch = open;
                    open = null;
                    flushing = false;
                    return batch;
                }
                senderWaiting = true;
                work.awaitNanos(wait);
                senderWaiting = false;
                continue;
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

    private void send(Batch batch) {
        String key = idempotencyKey();
        byte[] body = batch.frames;
        int length = batch.length;
        String path = "/stores/" + store.value() + "/events";
        AppendResult total;
        try {
            HttpResponse<byte[]> response = http.send(() -> HttpRequest.newBuilder(http.uri(path))
                    .header("Content-Type", FRAMES).header(IDEMPOTENCY_KEY, key)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, length)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            total = http.appendResult(response, batch.count());
            if (total.count() != batch.count()) {
                throw new PlatformClientException(response.statusCode(), "invalid_answer", "the node answered "
                        + total.count() + " events for a batch of " + batch.count(), null);
            }
        } catch (RuntimeException e) {
            for (CompletableFuture<AppendResult> future : batch.futures) {
                future.completeExceptionally(e);
            }
            return;
        }
        if (batch.count() == 1) {
            batch.futures.get(0).complete(total);
            return;
        }
        long position = total.position();
        long firstVersion = total.version() - total.count() + 1;
        for (int i = 0; i < batch.count(); i++) {
            long next = position + batch.recordSizes[i];
            batch.futures.get(i).complete(new AppendResult(position, next, firstVersion + i, 1, total.durable()));
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
        final long firstNanos;
        final int maxLength;
        byte[] frames;
        int length;
        int[] recordSizes = new int[64];
        final List<CompletableFuture<AppendResult>> futures = new ArrayList<>();

        Batch(long firstNanos, int maxLength, int capacity) {
            this.firstNanos = firstNanos;
            this.maxLength = maxLength;
            this.frames = new byte[capacity];
        }

        int count() {
            return futures.size();
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
