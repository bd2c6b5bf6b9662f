package io.dataplatform.client;

import io.dataplatform.node.Node;
import io.dataplatform.node.NodeConfig;
import io.dataplatform.store.AppendResult;
import io.dataplatform.store.Event;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Single appends batched by the client against a real node: each caller's own position and
 * version, order per caller, failures confined to one batch, no duplicate after a lost answer,
 * bounded memory.
 */
class AppendBatchingTest {
    /** Long enough that only a full batch or {@code flush()} sends: batches are then exactly what the test queued. */
    private static final Duration FOREVER = Duration.ofHours(1);
    private static final int NODE_MAX_EVENT = 1000;

    @TempDir
    static Path dir;
    static Node node;

    @BeforeAll
    static void startNode() {
        node = Node.start(NodeConfig.defaults().withStoreLocation(dir.toString()).withPort(0).withEventLoops(2)
                .withMaxEventSize(NODE_MAX_EVENT));
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    private static PlatformClient client(String store, AppendOptions options) {
        return PlatformClient.remote(node.endpoint(), StoreId.of(store)).withAppendOptions(options);
    }

    private static List<Event> storedEvents(String store) {
        List<Event> events = new ArrayList<>();
        try (StoreReader reader = node.engine().openReader(StoreId.of(store))) {
            long from = 0;
            while (true) {
                EventBatch batch = reader.read(from);
                if (batch.isEmpty()) {
                    return events;
                }
                batch.forEach(events::add);
                from = batch.next();
            }
        }
    }

    private static long appendRequests() throws IOException, InterruptedException {
        String metrics = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(node.endpoint().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^dp_appends_total ([0-9.eE+]+)$").matcher(metrics);
        assertThat(m.find()).as("dp_appends_total in /metrics").isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    @Test
    void concurrentCallersEachGetTheirOwnPositionAndVersionInTheirOwnOrder() throws Exception {
        int threads = 16;
        int perThread = 300;
        Map<String, List<AppendResult>> results = new HashMap<>();
        try (PlatformClient client = client("batched-many", AppendOptions.DEFAULT.withMaxBatchBytes(8 * 1024))) {
            List<Thread> workers = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                String stream = "caller-" + t;
                List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
                Thread worker = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        byte[] data = (stream + "#" + i).getBytes(StandardCharsets.UTF_8);
                        futures.add(i % 3 == 0 ? CompletableFuture.completedFuture(client.append(stream, data))
                                : client.appendAsync(stream, data));
                    }
                    List<AppendResult> mine = new ArrayList<>();
                    futures.forEach(f -> mine.add(f.join()));
                    synchronized (results) {
                        results.put(stream, mine);
                    }
                });
                worker.start();
                workers.add(worker);
            }
            go.countDown();
            for (Thread worker : workers) {
                worker.join(TimeUnit.MINUTES.toMillis(2));
            }
        }
        assertThat(results).hasSize(threads);
        Map<Long, Event> byPosition = new HashMap<>();
        for (Event event : storedEvents("batched-many")) {
            byPosition.put(event.position(), event);
        }
        assertThat(byPosition).hasSize(threads * perThread);
        Set<Long> versions = new HashSet<>();
        for (Map.Entry<String, List<AppendResult>> caller : results.entrySet()) {
            long previous = -1;
            for (int i = 0; i < perThread; i++) {
                AppendResult result = caller.getValue().get(i);
                Event stored = byPosition.get(result.position());
                assertThat(stored).as("%s #%d at %d", caller.getKey(), i, result.position()).isNotNull();
                assertThat(stored.streamId()).isEqualTo(caller.getKey());
                assertThat(stored.dataAsString()).isEqualTo(caller.getKey() + "#" + i);
                assertThat(stored.version()).isEqualTo(result.version());
                assertThat(stored.next()).isEqualTo(result.next());
                assertThat(result.count()).isEqualTo(1);
                assertThat(result.position()).as("order of %s", caller.getKey()).isGreaterThan(previous);
                previous = result.position();
                versions.add(result.version());
            }
        }
        assertThat(versions).hasSize(threads * perThread);
    }

    @Test
    void appendsQueuedTogetherTravelInOneRequest() throws Exception {
        try (PlatformClient client = client("batched-one", AppendOptions.DEFAULT.withLinger(FOREVER))) {
            long before = appendRequests();
            List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String stream = "s" + t;
                Thread caller = new Thread(() -> {
                    for (int i = 0; i < 25; i++) {
                        CompletableFuture<AppendResult> f = client.appendAsync(stream, new byte[10]);
                        synchronized (futures) {
                            futures.add(f);
                        }
                    }
                });
                caller.start();
                callers.add(caller);
            }
            for (Thread caller : callers) {
                caller.join();
            }
            assertThat(futures).allMatch(f -> !f.isDone());
            client.flush();
            assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
            assertThat(futures.stream().map(f -> f.join().version()).distinct()).hasSize(100);
            assertThat(appendRequests() - before).as("requests for 100 appends of 4 threads").isEqualTo(1);
        }
    }

    @Test
    void aFailedBatchFailsExactlyTheAppendsItCarried() throws Exception {
        try (PlatformClient client = client("batched-failure", AppendOptions.DEFAULT.withLinger(FOREVER))) {
            // the node refuses events over 1,000 bytes; the client's own limit (2 MiB) lets this one through
            CompletableFuture<AppendResult> a1 = client.appendAsync("a", "a1".getBytes(StandardCharsets.UTF_8));
            CompletableFuture<AppendResult> a2 = client.appendAsync("a", new byte[NODE_MAX_EVENT + 1]);
            CompletableFuture<AppendResult> a3 = client.appendAsync("a", "a3".getBytes(StandardCharsets.UTF_8));
            client.flush();
            CompletableFuture<AppendResult> b1 = client.appendAsync("b", "b1".getBytes(StandardCharsets.UTF_8));
            CompletableFuture<AppendResult> b2 = client.appendAsync("b", "b2".getBytes(StandardCharsets.UTF_8));
            client.flush();
            for (CompletableFuture<AppendResult> failed : List.of(a1, a2, a3)) {
                assertThatThrownBy(failed::get).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOfSatisfying(PlatformClientException.class, e -> {
                            assertThat(e.status()).isEqualTo(413);
                            assertThat(e.error()).isEqualTo("event_too_large");
                        });
            }
            assertThat(b1.get().version()).isEqualTo(1);
            assertThat(b2.get().version()).isEqualTo(2);
            assertThat(storedEvents("batched-failure")).extracting(Event::dataAsString).containsExactly("b1", "b2");
        }
    }

    @Test
    void anEventOverTheClientLimitFailsAloneAndAtOnce() {
        try (PlatformClient client = client("batched-too-large", AppendOptions.DEFAULT)) {
            AppendOptions options = AppendOptions.DEFAULT;
            CompletableFuture<AppendResult> tooLarge = client.appendAsync("s", new byte[options.maxEventBytes() + 1]);
            assertThat(tooLarge).isCompletedExceptionally();
            assertThat(client.append("s", "fine".getBytes(StandardCharsets.UTF_8)).version()).isEqualTo(1);
        }
    }

    @Test
    void aBatchWhoseAnswerWasLostIsNotStoredTwice() throws Exception {
        try (AnswerDroppingProxy proxy = AnswerDroppingProxy.start(node.port(), 1)) {
            URI via = URI.create("http://127.0.0.1:" + proxy.port());
            try (PlatformClient client = PlatformClient.remote(via, StoreId.of("batched-replay"))
                    .withAppendOptions(AppendOptions.DEFAULT.withLinger(FOREVER))) {
                List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    futures.add(client.appendAsync("s", ("e" + i).getBytes(StandardCharsets.UTF_8)));
                }
                client.flush();
                for (int i = 0; i < 10; i++) {
                    assertThat(futures.get(i).get().version()).isEqualTo(i + 1);
                }
            }
            assertThat(proxy.droppedAnswers()).as("the node's first answer never reached the client").isEqualTo(1);
            assertThat(proxy.connections()).as("the client sent the batch again, on a new connection").isGreaterThanOrEqualTo(2);
        }
        assertThat(storedEvents("batched-replay")).extracting(Event::dataAsString)
                .containsExactly("e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9");
    }

    @Test
    void anAtomicBatchWhoseAnswerWasLostIsNotStoredTwice() throws Exception {
        try (AnswerDroppingProxy proxy = AnswerDroppingProxy.start(node.port(), 1);
             PlatformClient client = PlatformClient.remote(URI.create("http://127.0.0.1:" + proxy.port()),
                     StoreId.of("batched-replay-list"))) {
            AppendResult result = client.append(List.of(NewEvent.of("s", "x"), NewEvent.of("s", "y")));
            assertThat(result.version()).isEqualTo(2);
            assertThat(proxy.droppedAnswers()).isEqualTo(1);
        }
        assertThat(storedEvents("batched-replay-list")).extracting(Event::dataAsString).containsExactly("x", "y");
    }

    @Test
    void appendsWaitForBufferSpaceThenFailWhenTheNodeDoesNotTakeThem() throws Exception {
        try (SilentServer silent = SilentServer.start()) {
            NodeHttp http = new NodeHttp(URI.create("http://127.0.0.1:" + silent.port()),
                    new NodeHttp.RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(2)));
            AppendOptions options = AppendOptions.DEFAULT.withMaxBatchBytes(1024).withMaxBufferedBytes(4096)
                    .withMaxBlock(Duration.ofMillis(200));
            AppendBatcher batcher = new AppendBatcher(http, StoreId.of("bounded"), options);
            try {
                List<CompletableFuture<AppendResult>> queued = new ArrayList<>();
                CompletableFuture<AppendResult> refused = null;
                for (int i = 0; i < 100 && refused == null; i++) {
                    CompletableFuture<AppendResult> f = batcher.append(new NewEvent("s", new byte[100]));
                    assertThat(batcher.bufferedBytes()).isLessThanOrEqualTo(options.maxBufferedBytes());
                    if (f.isCompletedExceptionally()) {
                        refused = f;
                    } else {
                        queued.add(f);
                    }
                }
                assertThat(refused).as("an append beyond the buffer").isNotNull();
                assertThatThrownBy(refused::get).cause().isInstanceOfSatisfying(PlatformClientException.class,
                        e -> assertThat(e.error()).isEqualTo("buffer_full"));
                assertThat(queued.size() * 106L).isLessThanOrEqualTo(options.maxBufferedBytes());
                assertThat(queued).noneMatch(CompletableFuture::isDone);
            } finally {
                batcher.close(0); // the queued appends fail in the background once the server is gone
            }
        }
    }
}
