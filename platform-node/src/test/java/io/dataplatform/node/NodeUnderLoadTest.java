package io.dataplatform.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.Event;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.ReadLimits;
import io.dataplatform.store.RecordFormat;
import io.dataplatform.store.Storage;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.file.FileStorageEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The node under concurrent clients: ordering, back-pressure, graceful stop, long-polls. */
class NodeUnderLoadTest {
    @TempDir
    Path dir;

    /** Every event read back directly from storage, by position. */
    private Map<Long, Event> readAll(StoreId store) {
        Map<Long, Event> events = new java.util.LinkedHashMap<>();
        try (StoreReader reader = Storage.openReader(dir.toString(), store)) {
            long from = 0;
            long lastVersion = 0;
            while (true) {
                EventBatch batch = reader.read(from);
                if (batch.isEmpty()) {
                    return events;
                }
                for (Event event : batch) {
                    assertThat(event.version()).isEqualTo(lastVersion + 1);
                    lastVersion = event.version();
                    events.put(event.position(), event);
                }
                from = batch.next();
            }
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.sleep(5); // polling interval of the wait loop, bounded by the deadline
        }
    }

    @Test
    void concurrentHttpWritersAndDirectReadersSeeEveryAcknowledgedEventInOrder() throws Exception {
        StoreId store = StoreId.of("concurrent");
        try (Node node = NodeFixture.start(dir)) {
            Http http = new Http(node.endpoint());
            Map<Long, String> acknowledged = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(9);
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 150; i++) {
                        String data = "w" + writer + "-" + i;
                        Http.Answer answer = http.postText("/stores/concurrent/streams/w" + writer, data);
                        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
                        acknowledged.put(answer.json().path("position").asLong(), data);
                    }
                }));
            }
            // A direct reader tails the store while the writers write: always in order, never torn.
            Future<Integer> tail = pool.submit(() -> {
                awaitTrue("a first acknowledged event", () -> !acknowledged.isEmpty());
                long from = 0;
                long lastVersion = 0;
                int seen = 0;
                try (StoreReader reader = Storage.openReader(dir.toString(), store)) {
                    while (writing.get() || from < reader.commitPointer().position()) {
                        EventBatch batch = reader.read(from, 100, 64 * 1024);
                        for (int i = 0; i < batch.size(); i++) {
                            assertThat(batch.version(i)).isEqualTo(lastVersion + 1);
                            lastVersion = batch.version(i);
                            seen++;
                        }
                        from = batch.next();
                    }
                }
                return seen;
            });
            for (Future<?> writer : writers) {
                writer.get(120, TimeUnit.SECONDS);
            }
            writing.set(false);
            assertThat(tail.get(60, TimeUnit.SECONDS)).isEqualTo(8 * 150);
            pool.shutdown();

            Map<Long, Event> stored = readAll(store);
            assertThat(stored).hasSize(8 * 150);
            acknowledged.forEach((position, data) -> assertThat(stored.get(position).dataAsString()).isEqualTo(data));
            // Each writer's events are in the order it wrote them.
            Map<String, Integer> lastIndex = new ConcurrentHashMap<>();
            for (Event event : stored.values()) {
                String[] parts = event.dataAsString().split("-");
                int index = Integer.parseInt(parts[1]);
                assertThat(index).isEqualTo(lastIndex.getOrDefault(parts[0], -1) + 1);
                lastIndex.put(parts[0], index);
            }
        }
    }

    @Test
    void requestsThatDeclareLargeBodiesAndSendNothingDoNotHoldTheBudget() throws Exception {
        // a budget of exactly one largest batch body: declaring one used to reserve all of it
        NodeConfig config = NodeFixture.config(dir).withMaxInFlightBytes(NodeConfig.MAX_BATCH_BODY);
        try (Node node = Node.start(config); Socket stalled = new Socket("127.0.0.1", node.port())) {
            stalled.setSoTimeout(15_000);
            stalled.getOutputStream().write(("POST /stores/budget/events HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: " + NodeConfig.MAX_BATCH_BODY
                    + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // the node answers 100 Continue once it has reserved what it reserves before the body
            byte[] head = new byte[64];
            int n = stalled.getInputStream().read(head);
            assertThat(new String(head, 0, Math.max(n, 0), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 100 Continue");
            Http.Answer answer = new Http(node.endpoint()).postText("/stores/budget/streams/s", "still served");
            assertThat(answer.status()).isEqualTo(201);
        }
    }

    @Test
    void clientsThatDoNotTakeTheirAnswersCannotSpendTheNodesMemory() throws Exception {
        StoreId store = StoreId.of("unread");
        try (FileStorageEngine engine = new FileStorageEngine(dir, EngineOptions.defaults())) {
            for (int round = 0; round < 18; round++) {
                List<NewEvent> events = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    events.add(new NewEvent("s", new byte[1000]));
                }
                engine.append(store, events).join();
            }
        }
        int answer = ReadLimits.MAX_BYTES;
        String read = "/stores/unread/events?from=0&limit=100000&maxBytes=" + answer;
        // JSON answers are built in the node's memory (raw records leave from the chunk file and cost none)
        long jsonAnswer;
        try (Node probe = Node.start(NodeFixture.config(dir))) {
            jsonAnswer = new Http(probe.endpoint()).getJson(read).body().length;
        }
        // the answer budget, as large as the body budget, holds four of the largest JSON answers
        NodeConfig config = NodeFixture.config(dir).withMaxInFlightBytes(4 * jsonAnswer + jsonAnswer / 2);
        List<Socket> stalled = new ArrayList<>();
        try (Node node = Node.start(config)) {
            Http http = new Http(node.endpoint());
            for (int i = 0; i < 4; i++) {
                Socket socket = new Socket();
                socket.setReceiveBufferSize(4096);
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", node.port()));
                socket.setSoTimeout(15_000);
                stalled.add(socket);
                socket.getOutputStream().write(("GET " + read + " HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                // the head of the answer arrives; its 16 MiB body is not read
                byte[] head = new byte[12];
                int n = socket.getInputStream().readNBytes(head, 0, head.length);
                assertThat(new String(head, 0, n, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            }
            Http.Answer refused = http.getJson(read);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.error()).isEqualTo("node_busy");
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(http.get(read).status()).as("raw records, sent from the chunk file, need no budget").isEqualTo(200);
            // appends have a budget of their own
            assertThat(http.postText("/stores/unread/streams/s", "written").status()).isEqualTo(201);
            for (Socket socket : stalled) {
                socket.close();
            }
            awaitTrue("the stalled answers given back", () -> http.getJson(read).status() == 200);
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    @Test
    void fullQueueAnswers503WithRetryAfterAndLosesNothingAcknowledged() throws Exception {
        NodeConfig config = NodeFixture.config(dir).withMaxEventSize(1024);
        EngineOptions tiny = config.engineOptions()
                .withMaxQueuedBytes(RecordFormat.recordSize(NewEvent.MAX_STREAM_ID_BYTES, 1024));
        StoreId store = StoreId.of("pressure");
        Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        List<Http.Answer> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Node node = NodeFixture.start(config, tiny)) {
            Http http = new Http(node.endpoint());
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 32; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 60 && refusals.size() < 20; i++) {
                        String data = writer + "-" + i + "-" + "x".repeat(900);
                        Http.Answer answer = http.postText("/stores/pressure/streams/w" + writer, data);
                        if (answer.status() == 201) {
                            acknowledged.put(answer.json().path("position").asLong(), data);
                        } else {
                            refused.incrementAndGet();
                            refusals.add(answer);
                        }
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
        assertThat(refusals).isNotEmpty();
        for (Http.Answer answer : refusals) {
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.error()).isEqualTo("queue_full");
            assertThat(answer.header("Retry-After")).isEqualTo("1");
        }
        Map<Long, Event> stored = readAll(store);
        assertThat(acknowledged).isNotEmpty();
        acknowledged.forEach((position, data) -> assertThat(stored.get(position).dataAsString()).isEqualTo(data));
    }

    @Test
    void gracefulStopWithAppendsInFlightLosesNoAcknowledgedEvent() throws Exception {
        StoreId store = StoreId.of("stopping");
        Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        Node node = NodeFixture.start(dir);
        Http http = new Http(node.endpoint());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 16; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                for (int i = 0; ; i++) {
                    String data = writer + "-" + i;
                    Http.Answer answer;
                    try {
                        answer = http.postText("/stores/stopping/streams/w" + writer, data);
                    } catch (UncheckedIOException e) {
                        return; // the node closed the connection: it is gone
                    }
                    if (answer.status() != 201) {
                        assertThat(answer.status()).isEqualTo(503);
                        assertThat(answer.error()).isEqualTo("shutting_down");
                        return;
                    }
                    acknowledged.put(answer.json().path("position").asLong(), data);
                }
            }));
        }
        awaitTrue("appends to flow", () -> acknowledged.size() >= 200);
        node.stop().get(60, TimeUnit.SECONDS);
        for (Future<?> writer : writers) {
            writer.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        Map<Long, Event> stored = readAll(store);
        assertThat(stored.size()).isGreaterThanOrEqualTo(acknowledged.size());
        acknowledged.forEach((position, data) -> assertThat(stored.get(position).dataAsString()).isEqualTo(data));
    }

    @Test
    void longPollReturnsAsSoonAsACommitLands() throws Exception {
        try (Node node = NodeFixture.start(dir)) {
            Http http = new Http(node.endpoint());
            long next = http.postText("/stores/polled/streams/s", "first").json().path("next").asLong();
            CompletableFuture<Http.Answer> poll = CompletableFuture.supplyAsync(
                    () -> http.getJson("/stores/polled/events?from=" + next + "&wait=60"));
            awaitTrue("the long-poll to wait", () -> HttpApiTest.metricValue(http.get("/metrics").text(),
                    "dp_long_polls_waiting") == 1);
            assertThat(poll).isNotDone();
            http.postText("/stores/polled/streams/s", "second");
            JsonNode batch = poll.get(30, TimeUnit.SECONDS).json(); // well before the 60 s wait
            assertThat(batch.path("events")).hasSize(1);
            assertThat(new String(java.util.Base64.getDecoder().decode(batch.path("events").get(0).path("data").asText()),
                    StandardCharsets.UTF_8)).isEqualTo("second");
        }
    }

    @Test
    void longPollBehindTheCommitReturnsAtOnceAndTimesOutEmpty() throws Exception {
        try (Node node = NodeFixture.start(dir)) {
            Http http = new Http(node.endpoint());
            long next = http.postText("/stores/polled-2/streams/s", "first").json().path("next").asLong();
            assertThat(http.getJson("/stores/polled-2/events?from=0&wait=60").json().path("events")).hasSize(1);
            JsonNode empty = http.getJson("/stores/polled-2/events?from=" + next + "&wait=1").json();
            assertThat(empty.path("events")).isEmpty();
            assertThat(empty.path("next").asLong()).isEqualTo(next);
        }
    }

    @Test
    void longPollIsReleasedWhenTheNodeStops() throws Exception {
        Node node = NodeFixture.start(dir);
        Http http = new Http(node.endpoint());
        long next = http.postText("/stores/polled-3/streams/s", "first").json().path("next").asLong();
        CompletableFuture<Http.Answer> poll = CompletableFuture.supplyAsync(
                () -> http.getJson("/stores/polled-3/events?from=" + next + "&wait=60"));
        awaitTrue("the long-poll to wait", () -> HttpApiTest.metricValue(http.get("/metrics").text(),
                "dp_long_polls_waiting") == 1);
        node.stop().get(30, TimeUnit.SECONDS);
        assertThat(poll.get(30, TimeUnit.SECONDS).json().path("events")).isEmpty();
    }

    @Test
    void aLongPollWhoseClientLeavesIsReleasedAtOnce() throws Exception {
        try (Node node = NodeFixture.start(dir)) {
            Http http = new Http(node.endpoint());
            long next = http.postText("/stores/polled-4/streams/s", "first").json().path("next").asLong();
            java.net.URI endpoint = node.endpoint();
            try (java.net.Socket socket = new java.net.Socket(endpoint.getHost(), endpoint.getPort())) {
                socket.getOutputStream().write(("GET /stores/polled-4/events?from=" + next + "&wait=60 HTTP/1.1\r\n"
                        + "Host: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                awaitTrue("the long-poll to wait", () -> HttpApiTest.metricValue(http.get("/metrics").text(),
                        "dp_long_polls_waiting") == 1);
            }
            awaitTrue("the long-poll to be released", () -> HttpApiTest.metricValue(http.get("/metrics").text(),
                    "dp_long_polls_waiting") == 0);
        }
    }

    @Test
    void shutdownRouteStopsTheNode() throws Exception {
        Node node = NodeFixture.start(dir);
        Http http = new Http(node.endpoint());
        Http.Answer answer = http.post("/system/shutdown", null, null);
        assertThat(answer.status()).isEqualTo(202);
        node.stopped().get(30, TimeUnit.SECONDS);
        assertThat(node.stopped()).isCompleted();
    }

    @Test
    void killSwitchStopsTheNode() throws Exception {
        Node node = Node.start(NodeFixture.config(dir).withKillSwitch(Duration.ofSeconds(1)));
        node.stopped().get(30, TimeUnit.SECONDS);
        assertThat(node.stopped()).isCompleted();
    }
}
