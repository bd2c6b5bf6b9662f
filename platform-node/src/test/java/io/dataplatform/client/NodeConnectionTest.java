package io.dataplatform.client;

import io.dataplatform.node.Node;
import io.dataplatform.node.NodeConfig;
import io.dataplatform.store.AppendResult;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's own HTTP/1.1 connections (batch appends, record reads) against a real node: kept
 * alive across requests, answers read into the caller's array, and a kept-alive connection the
 * other side closed while idle opened again without failing the request or storing it twice.
 */
class NodeConnectionTest {
    /** One attempt: a request succeeds only if the connection handling itself recovers. */
    private static final NodeHttp.RetryPolicy NO_RETRIES = new NodeHttp.RetryPolicy(1, Duration.ofMillis(10),
            Duration.ofMillis(10), Duration.ofSeconds(30));

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

    @Test
    void requestsShareOneKeptAliveConnectionAndAnswersLandInTheCallersArray() throws Exception {
        try (AnswerDroppingProxy proxy = AnswerDroppingProxy.start(node.port(), 0);
             NodeConnection connection = new NodeConnection(URI.create("http://127.0.0.1:" + proxy.port()), null)) {
            NodeHttp http = new NodeHttp(URI.create("http://127.0.0.1:" + proxy.port()), NO_RETRIES);
            byte[] frames = frames("s", "first", "second");
            for (int i = 0; i < 3; i++) {
                NodeConnection.Answer answer = http.exchange(connection, "POST", "/stores/kept-alive/events",
                        AppendBatcher.FRAMES, null, "key-kept-alive-" + i, frames, 0, frames.length, Duration.ZERO, null, false);
                assertThat(answer.status()).isEqualTo(201);
                assertThat(http.appendResult(answer, 2).version()).isEqualTo(2L * (i + 1));
            }
            byte[] target = new byte[64 * 1024];
            NodeConnection.Answer read = http.exchange(connection, "GET", "/stores/kept-alive/events?from=0&limit=2",
                    null, RemoteStoreReader.RECORDS, null, null, 0, 0, Duration.ZERO, length -> target, false);
            assertThat(read.body()).isSameAs(target);
            assertThat(read.bodyLength()).isPositive();
            assertThat(read.next()).isEqualTo(read.bodyLength());
            assertThat(proxy.connections()).as("connections opened for four requests").isEqualTo(1);
        }
    }

    @Test
    void aBatchSentOverAConnectionClosedWhileIdleIsSentAgainOnANewOneAndStoredOnce() throws Exception {
        try (AnswerDroppingProxy proxy = AnswerDroppingProxy.start(node.port(), 0)) {
            NodeHttp http = new NodeHttp(URI.create("http://127.0.0.1:" + proxy.port()), NO_RETRIES);
            StoreId store = StoreId.of("closed-while-idle");
            try (AppendBatcher batcher = new AppendBatcher(http, store, AppendOptions.DEFAULT)) {
                assertThat(batcher.append(NewEvent.of("s", "before")).get(30, TimeUnit.SECONDS).version()).isEqualTo(1);
                proxy.closeConnections(); // as a node closing an idle keep-alive connection
                AppendResult after = batcher.append(NewEvent.of("s", "after")).get(30, TimeUnit.SECONDS);
                assertThat(after.version()).isEqualTo(2);
                assertThat(proxy.connections()).isEqualTo(2);
            }
            try (RemoteStoreReader reader = new RemoteStoreReader(http, store, null)) {
                EventBatch batch = reader.read(0, 10, 1024 * 1024);
                List<String> data = new ArrayList<>();
                batch.forEach(event -> data.add(event.dataAsString()));
                assertThat(data).containsExactly("before", "after");
            }
        }
    }

    @Test
    void aReaderKeepsItsConnectionsAcrossBatchesAndPrefetches() throws Exception {
        try (PlatformClient writer = PlatformClient.remote(node.endpoint(), StoreId.of("reader-connections"))) {
            List<CompletableFuture<AppendResult>> appended = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                appended.add(writer.appendAsync("s", ("event-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            CompletableFuture.allOf(appended.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }
        try (AnswerDroppingProxy proxy = AnswerDroppingProxy.start(node.port(), 0)) {
            NodeHttp http = new NodeHttp(URI.create("http://127.0.0.1:" + proxy.port()), NO_RETRIES);
            int events = 0;
            try (RemoteStoreReader reader = new RemoteStoreReader(http, StoreId.of("reader-connections"), null)) {
                long end = reader.commitPointer().position();
                long from = 0;
                while (from < end) {
                    EventBatch batch = reader.read(from, 5, 1024 * 1024);
                    for (int i = 0; i < batch.size(); i++) {
                        assertThat(batch.get(i).dataAsString()).isEqualTo("event-" + (events + i));
                    }
                    events += batch.size();
                    from = batch.next();
                }
            }
            assertThat(events).isEqualTo(50);
            assertThat(proxy.connections()).as("one connection for batches and prefetches, one for the commit pointer")
                    .isEqualTo(2);
        }
    }

    /** Binary frames of events of one stream. */
    private static byte[] frames(String stream, String... data) {
        List<byte[]> parts = new ArrayList<>();
        int length = 0;
        for (String d : data) {
            byte[] id = stream.getBytes(StandardCharsets.UTF_8);
            byte[] bytes = d.getBytes(StandardCharsets.UTF_8);
            byte[] frame = new byte[1 + id.length + 4 + bytes.length];
            frame[0] = (byte) id.length;
            System.arraycopy(id, 0, frame, 1, id.length);
            int n = bytes.length;
            frame[1 + id.length] = (byte) (n >>> 24);
            frame[2 + id.length] = (byte) (n >>> 16);
            frame[3 + id.length] = (byte) (n >>> 8);
            frame[4 + id.length] = (byte) n;
            System.arraycopy(bytes, 0, frame, 5 + id.length, n);
            parts.add(frame);
            length += frame.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
