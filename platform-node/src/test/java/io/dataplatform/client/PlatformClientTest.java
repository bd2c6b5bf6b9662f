package io.dataplatform.client;

import com.sun.net.httpserver.HttpServer;
import io.dataplatform.node.Node;
import io.dataplatform.store.StoreRecreatedException;
import io.dataplatform.node.NodeConfig;
import io.dataplatform.store.AppendResult;
import io.dataplatform.store.CorruptLogException;
import io.dataplatform.store.Event;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.InvalidPositionException;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The client library against a real node: writes, staged imports, direct and HTTP reads, errors and retries. */
class PlatformClientTest {
    @TempDir
    static Path dir;
    static Node node;

    @BeforeAll
    static void startNode() {
        node = Node.start(NodeConfig.defaults().withStoreLocation(dir.toString()).withPort(0).withEventLoops(2));
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    private static PlatformClient client(String store) {
        return PlatformClient.connect(dir.toString(), StoreId.of(store), node.endpoint());
    }

    private static List<String> texts(Iterable<Event> events) {
        List<String> texts = new ArrayList<>();
        events.forEach(e -> texts.add(e.dataAsString()));
        return texts;
    }

    @Test
    void writesOneEventAndReadsItBackDirectly() {
        try (PlatformClient client = client("client-one")) {
            AppendResult first = client.append("user/1", "hello".getBytes(StandardCharsets.UTF_8));
            AppendResult second = client.append("user/1", "world".getBytes(StandardCharsets.UTF_8));
            assertThat(first.version()).isEqualTo(1);
            assertThat(second.position()).isEqualTo(first.next());
            try (PlatformClient.Events events = client.events(0)) {
                List<Event> all = new ArrayList<>();
                events.forEach(all::add);
                assertThat(all).extracting(Event::streamId).containsExactly("user/1", "user/1");
                assertThat(texts(all)).containsExactly("hello", "world");
            }
        }
    }

    @Test
    void writesABatchInOneRequest() {
        try (PlatformClient client = client("client-batch")) {
            List<NewEvent> batch = IntStream.range(0, 500).mapToObj(i -> NewEvent.of("s" + (i % 7), "e" + i)).toList();
            AppendResult result = client.append(batch);
            assertThat(result.count()).isEqualTo(500);
            assertThat(result.version()).isEqualTo(500);
            assertThat(texts(client.events(0, 64))).containsExactlyElementsOf(
                    IntStream.range(0, 500).mapToObj(i -> "e" + i).toList());
        }
    }

    @Test
    void writesALargeBatchThroughTheStagingArea() throws Exception {
        try (PlatformClient client = client("client-import")) {
            List<NewEvent> batch = IntStream.range(0, 20_000).mapToObj(i -> NewEvent.of("s", "event-" + i)).toList();
            AppendResult result = client.importBatch(batch);
            assertThat(result.version()).isEqualTo(20_000);
            List<String> read = texts(client.events(0));
            assertThat(read).hasSize(20_000);
            assertThat(read.get(19_999)).isEqualTo("event-19999");
            try (var staged = Files.list(dir.resolve(".staging"))) {
                assertThat(staged.filter(p -> p.getFileName().toString().startsWith("client-"))).isEmpty();
            }
        }
    }

    @Test
    void readOnlyClientReadsLazilyInBatchesAndRefusesWrites() {
        try (PlatformClient writer = client("client-read-only")) {
            for (int i = 0; i < 30; i++) {
                writer.append("s", ("e" + i).getBytes(StandardCharsets.UTF_8));
            }
        }
        try (PlatformClient reader = PlatformClient.readOnly(dir.toString(), StoreId.of("client-read-only"));
             StoreReader batches = reader.reader()) {
            EventBatch first = batches.read(0, 10, 1 << 20);
            assertThat(first.size()).isEqualTo(10);
            EventBatch second = batches.read(first.next(), 100, 1 << 20);
            assertThat(second.size()).isEqualTo(20);
            assertThat(second.get(19).dataAsString()).isEqualTo("e29");
            assertThatThrownBy(() -> reader.append("s", new byte[1])).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void remoteReaderReadsOverHttpAndVerifiesRecords() {
        PlatformClient client = PlatformClient.remote(node.endpoint(), StoreId.of("client-remote"));
        for (int i = 0; i < 25; i++) {
            client.append("s" + i, ("e" + i).getBytes(StandardCharsets.UTF_8));
        }
        try (StoreReader remote = client.reader()) {
            assertThat(remote).isInstanceOf(RemoteStoreReader.class);
            EventBatch batch = remote.read(0, 10, 1 << 20);
            assertThat(batch.size()).isEqualTo(10);
            assertThat(batch.streamId(3)).isEqualTo("s3");
            assertThat(remote.commitPointer().version()).isEqualTo(25);
            assertThatThrownBy(() -> remote.read(3, 10, 1 << 20)).isInstanceOf(InvalidPositionException.class);
        }
        assertThat(texts(client.events(0, 7))).containsExactlyElementsOf(
                IntStream.range(0, 25).mapToObj(i -> "e" + i).collect(Collectors.toList()));
    }

    @Test
    void damagedRecordsOverHttpAreRefused() {
        byte[] damaged;
        PlatformClient client = PlatformClient.remote(node.endpoint(), StoreId.of("client-damaged"));
        client.append("s", "payload".getBytes(StandardCharsets.UTF_8));
        try (StoreReader remote = client.reader()) {
            ByteBuffer raw = remote.read(0).rawRecords();
            damaged = new byte[raw.remaining()];
            raw.get(damaged);
        }
        damaged[damaged.length - 1] ^= 1;
        assertThatThrownBy(() -> ReceivedRecords.decode(new EventBatch(), "client-damaged", ByteBuffer.wrap(damaged), 0,
                new java.util.zip.CRC32C())).isInstanceOf(CorruptLogException.class).hasMessageContaining("checksum");
    }

    @Test
    void clientErrorsSurfaceAtOnceWithTheNodesMessage() {
        try (PlatformClient client = client("client-errors")) {
            assertThatThrownBy(() -> client.append("s", new byte[node.config().maxEventSize() + 1]))
                    .isInstanceOfSatisfying(PlatformClientException.class, e -> {
                        assertThat(e.status()).isEqualTo(413);
                        assertThat(e.error()).isEqualTo("event_too_large");
                        assertThat(e.detail()).contains("limit");
                    });
        }
    }

    @Test
    void transientFailuresAreRetriedAndRetryAfterIsHonoured() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/", exchange -> {
            int call = calls.incrementAndGet();
            byte[] body;
            if (call == 1) {
                body = "{\"error\":\"queue_full\",\"detail\":\"full\"}".getBytes();
                exchange.getResponseHeaders().add("Retry-After", "0");
                exchange.sendResponseHeaders(503, body.length);
            } else if (call == 2) {
                body = "bad gateway".getBytes(); // a proxy in front of a restarting node
                exchange.sendResponseHeaders(502, body.length);
            } else {
                body = "{\"position\":0,\"next\":40,\"version\":1,\"durable\":true}".getBytes();
                exchange.sendResponseHeaders(201, body.length);
            }
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        stub.start();
        try {
            PlatformClient client = PlatformClient.remote(URI.create("http://127.0.0.1:" + stub.getAddress().getPort()),
                    StoreId.of("stubbed"));
            AppendResult result = client.append("s", new byte[3]);
            assertThat(result.next()).isEqualTo(40);
            assertThat(calls.get()).isEqualTo(3);
        } finally {
            stub.stop(0);
        }
    }

    @Test
    void onlyFailuresThatMayPassByThemselvesAreRetried() {
        for (String retried : List.of("0 unreachable", "0 timeout", "502 http_502", "504 http_504", "503 queue_full",
                "503 node_busy", "503 shutting_down", "503 store_closed")) {
            assertThat(NodeHttp.isTransient(failure(retried))).as(retried).isTrue();
        }
        for (String surfaced : List.of("503 store_failed", "500 corrupt_log", "500 internal_error", "507 storage_full",
                "400 invalid_stream_id", "404 store_not_found", "413 event_too_large")) {
            assertThat(NodeHttp.isTransient(failure(surfaced))).as(surfaced).isFalse();
        }
    }

    private static PlatformClientException failure(String statusAndError) {
        String[] parts = statusAndError.split(" ");
        return new PlatformClientException(Integer.parseInt(parts[0]), parts[1], "", null);
    }

    @Test
    void aNodeThatAcceptsAndNeverAnswersTimesOutAndIsRetried() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Semaphore accepted = new Semaphore(0);
            List<Socket> connections = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        connections.add(silent.accept()); // and never answer
                        accepted.release();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            NodeHttp http = new NodeHttp(URI.create("http://127.0.0.1:" + silent.getLocalPort()),
                    new NodeHttp.RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(300)));
            RemoteStoreReader reader = new RemoteStoreReader(http, StoreId.of("silent"), null);
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() -> reader.read(0, 10, 1000))
                        .isInstanceOfSatisfying(PlatformClientException.class, e -> {
                            assertThat(e.status()).isZero();
                            assertThat(e.error()).isEqualTo("timeout");
                            assertThat(e.detail()).contains("within 300 ms");
                        }));
                assertThat(accepted.tryAcquire(2, 10, TimeUnit.SECONDS)).as("the timed-out request was tried again").isTrue();
            } finally {
                for (Socket connection : connections) {
                    connection.close();
                }
            }
        }
    }

    @Test
    void aLongPollWaitsItsWaitOnTopOfTheRequestTimeout() {
        PlatformClient writer = PlatformClient.remote(node.endpoint(), StoreId.of("client-long-poll"));
        long next = writer.append("s", new byte[1]).next();
        NodeHttp http = new NodeHttp(node.endpoint(),
                new NodeHttp.RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(500)));
        RemoteStoreReader reader = new RemoteStoreReader(http, StoreId.of("client-long-poll"), null).waitForCommits(2);
        long started = System.nanoTime();
        EventBatch batch = reader.read(next, 10, 1000);
        assertThat(batch.isEmpty()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the node held the poll for its wait")
                .isGreaterThan(Duration.ofMillis(1500));
    }

    @Test
    void unreachableNodeFailsAfterBoundedRetries() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PlatformClient client = PlatformClient.remote(URI.create("http://127.0.0.1:" + port), StoreId.of("nowhere"));
        assertThatThrownBy(() -> client.append("s", new byte[1]))
                .isInstanceOfSatisfying(PlatformClientException.class, e -> assertThat(e.status()).isZero());
    }

    @Test
    void readersResumingAPositionOfAnotherIncarnationAreRefusedDirectAndOverHttp() {
        PlatformClient client = client("client-lives");
        client.append("s", "first life".getBytes(StandardCharsets.UTF_8));
        String first = client.incarnation();
        assertThat(first).matches("[0-9a-f]{32}");
        try (StoreReader remote = client.remoteReader(first); StoreReader direct = client.reader(first)) {
            assertThat(remote.read(0).size()).isEqualTo(1);
            assertThat(remote.incarnation()).isEqualTo(first);
            assertThat(direct.incarnation()).isEqualTo(first);
        }
        RemoteStoreReader tailing = client.remoteReader();
        assertThat(tailing.read(0).size()).isEqualTo(1);

        node.engine().delete(StoreId.of("client-lives")).join();
        client.append("s", "second life".getBytes(StandardCharsets.UTF_8));
        String second = client.incarnation();
        assertThat(second).isNotEqualTo(first);

        assertThatThrownBy(() -> client.remoteReader(first).read(0))
                .isInstanceOfSatisfying(StoreRecreatedException.class, e -> {
                    assertThat(e.expected()).isEqualTo(first);
                    assertThat(e.actual()).isEqualTo(second);
                });
        assertThatThrownBy(() -> client.reader(first)).isInstanceOf(StoreRecreatedException.class);
        assertThatThrownBy(() -> client.events(0, 10, first).iterator().hasNext())
                .isInstanceOf(StoreRecreatedException.class);
        // a reader opened without an expected incarnation keeps the first it saw
        assertThatThrownBy(() -> tailing.read(0)).isInstanceOf(StoreRecreatedException.class);
        assertThat(client.events(0, 10, second)).extracting(e -> e.dataAsString()).containsExactly("second life");
    }
}
