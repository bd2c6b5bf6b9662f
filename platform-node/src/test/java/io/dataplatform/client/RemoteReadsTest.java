package io.dataplatform.client;

import com.sun.net.httpserver.HttpServer;
import io.dataplatform.node.Node;
import io.dataplatform.node.NodeConfig;
import io.dataplatform.store.CorruptLogException;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reads over HTTP: the node answers the records exactly as its chunk files hold them (sent from
 * the file for large answers), the client verifies every checksum as it decodes, and its prefetch
 * keeps two answer buffers at most.
 */
class RemoteReadsTest {
    private static final String RECORDS = "application/vnd.dataplatform.records";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    static Node node;

    @BeforeAll
    static void startNode() {
        node = Node.start(NodeConfig.defaults().withStoreLocation(dir.toString()).withPort(0).withEventLoops(2));
        Random random = new Random(17);
        for (String store : List.of("reads-small", "reads-large")) {
            int size = store.endsWith("small") ? 100 : 1024;
            try (PlatformClient client = PlatformClient.remote(node.endpoint(), StoreId.of(store))) {
                for (int batch = 0; batch < 10; batch++) {
                    List<NewEvent> events = new ArrayList<>();
                    for (int i = 0; i < 300; i++) {
                        byte[] data = new byte[random.nextInt(size + 1)];
                        random.nextBytes(data);
                        events.add(new NewEvent("stream-" + random.nextInt(7), data));
                    }
                    client.append(events);
                }
            }
        }
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    private static byte[] chunkBytes(String store) throws Exception {
        return Files.readAllBytes(dir.resolve(store).resolve("chunks").resolve("00000000000000000000.dat"));
    }

    private static HttpResponse<byte[]> get(String pathAndQuery, String accept) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(node.endpoint().resolve(pathAndQuery)).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void rawAnswersAreTheBytesOfTheChunkFile() throws Exception {
        for (String store : List.of("reads-small", "reads-large")) {
            byte[] chunk = chunkBytes(store);
            long from = 0;
            int answers = 0;
            // 256 KiB answers leave from the file (sendfile); 4 KiB answers are copied: both must be the file's bytes
            for (int maxBytes : new int[] {256 * 1024, 4096}) {
                from = 0;
                long commit = node.engine().commitPointer(StoreId.of(store)).orElseThrow().position();
                while (from < commit) {
                    HttpResponse<byte[]> answer = get("/stores/" + store + "/events?from=" + from + "&maxBytes=" + maxBytes,
                            RECORDS + ";version=1");
                    assertThat(answer.statusCode()).isEqualTo(200);
                    assertThat(answer.headers().firstValue("Content-Type")).hasValue(RECORDS + ";version=1");
                    long next = Long.parseLong(answer.headers().firstValue("DP-Next").orElseThrow());
                    assertThat(answer.body()).as("%s from %d", store, from)
                            .isEqualTo(Arrays.copyOfRange(chunk, (int) from, (int) next));
                    from = next;
                    answers++;
                }
            }
            assertThat(answers).isGreaterThan(2);
        }
    }

    @Test
    void aRecordFormatVersionTheNodeDoesNotWriteIsRefused() throws Exception {
        HttpResponse<byte[]> answer = get("/stores/reads-small/events?from=0", RECORDS + "; version=2");
        assertThat(answer.statusCode()).isEqualTo(406);
        assertThat(new String(answer.body())).contains("not_acceptable").contains("version 1");
    }

    @Test
    void theRemoteReaderReturnsTheSameEventsAsADirectReader() {
        for (String store : List.of("reads-small", "reads-large")) {
            try (PlatformClient client = PlatformClient.remote(node.endpoint(), StoreId.of(store));
                 RemoteStoreReader remote = client.remoteReader();
                 StoreReader direct = node.engine().openReader(StoreId.of(store))) {
                long from = 0;
                int events = 0;
                while (true) {
                    EventBatch expected = direct.read(from, 500, 64 * 1024);
                    List<String> want = describe(expected);
                    EventBatch actual = remote.read(from, 500, 64 * 1024);
                    assertThat(describe(actual)).isEqualTo(want);
                    if (expected.isEmpty()) {
                        break;
                    }
                    events += expected.size();
                    from = expected.next();
                }
                assertThat(events).isEqualTo(3000);
                int largestRecord = 26 + 9 + 1024;
                assertThat(remote.bufferedBytes()).as("two answer buffers at most")
                        .isLessThanOrEqualTo(2L * (64 * 1024 + largestRecord));
            }
        }
    }

    private static List<String> describe(EventBatch batch) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            out.add(batch.position(i) + "/" + batch.version(i) + "/" + batch.timestamp(i) + "/" + batch.streamId(i)
                    + "/" + Arrays.toString(batch.data(i)));
        }
        return out;
    }

    @Test
    void theClientVerifiesEveryRecordItReceives() throws Exception {
        byte[] chunk = chunkBytes("reads-small");
        HttpResponse<byte[]> good = get("/stores/reads-small/events?from=0&limit=20", RECORDS);
        long next = Long.parseLong(good.headers().firstValue("DP-Next").orElseThrow());
        byte[] damaged = Arrays.copyOfRange(chunk, 0, (int) next);
        int record = 0;
        int recordStart = 0;
        while (record < 5) { // damage the data of the sixth record
            recordStart += 8 + java.nio.ByteBuffer.wrap(damaged, recordStart, 4).getInt();
            record++;
        }
        damaged[recordStart + 30] ^= 0x40;
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", RECORDS + ";version=1");
            exchange.getResponseHeaders().add("DP-Next", Long.toString(next));
            exchange.getResponseHeaders().add("DP-Commit-Position", Long.toString(next));
            exchange.sendResponseHeaders(200, damaged.length);
            exchange.getResponseBody().write(damaged);
            exchange.close();
        });
        stub.start();
        try (PlatformClient client = PlatformClient.remote(URI.create("http://127.0.0.1:" + stub.getAddress().getPort()),
                StoreId.of("reads-small"))) {
            long damagedAt = recordStart;
            assertThatThrownBy(() -> client.remoteReader().read(0, 20, 1 << 20))
                    .isInstanceOfSatisfying(CorruptLogException.class, e -> {
                        assertThat(e.getMessage()).contains("reads-small").contains(Long.toString(damagedAt));
                    });
        } finally {
            stub.stop(0);
        }
    }
}
