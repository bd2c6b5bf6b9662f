package io.dataplatform.node;

import io.dataplatform.store.StoreId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idle connections, slow-loris heads and trickling bodies are closed after their timeouts, and
 * thousands of open connections leave the node answering with file descriptors released.
 */
class SlowAndIdleConnectionsTest {
    static final Duration IDLE = Duration.ofSeconds(4);
    static final Duration REQUEST = Duration.ofMillis(1500);

    @TempDir
    static Path dir;
    static Node node;
    static Http http;

    @BeforeAll
    static void startNode() {
        node = Node.start(NodeFixture.config(dir).withIdleTimeout(IDLE).withRequestTimeout(REQUEST));
        http = new Http(node.endpoint());
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", node.port());
        socket.setSoTimeout(15_000);
        return socket;
    }

    /** Reads until the node closes the connection; returns what it sent and how long that took. */
    private static String readUntilClosed(Socket socket, long startedNanos, long[] closedAfterMillis) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        int n;
        try {
            while ((n = in.read(buffer)) >= 0) {
                text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (java.net.SocketException reset) {
            // a reset is a close too
        }
        closedAfterMillis[0] = (System.nanoTime() - startedNanos) / 1_000_000;
        return text.toString();
    }

    @Test
    void connectionThatSendsNothingIsClosed() throws IOException {
        try (Socket socket = connect()) {
            long[] after = new long[1];
            readUntilClosed(socket, System.nanoTime(), after);
            assertThat(after[0]).isBetween(REQUEST.toMillis() - 200, IDLE.toMillis() - 500);
        }
    }

    @Test
    void slowLorisHeadIsDroppedThoughItNeverGoesIdle() throws Exception {
        try (Socket socket = connect()) {
            long started = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        out.write('X');
                        out.flush();
                        Thread.sleep(200);
                    }
                } catch (IOException | InterruptedException closed) {
                    // the node closed the connection: expected
                }
            });
            trickle.start();
            long[] after = new long[1];
            String answer = readUntilClosed(socket, started, after);
            trickle.interrupt();
            assertThat(answer).doesNotContain("200 OK");
            assertThat(after[0]).as("closed by the request timeout, well before the idle timeout")
                    .isLessThan(IDLE.toMillis());
        }
    }

    @Test
    void tricklingBodyIsAnswered408AndNothingIsWritten() throws Exception {
        try (Socket socket = connect()) {
            long started = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write(("POST /stores/trickle/streams/s HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        out.write('b');
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException closed) {
                    // expected
                }
            });
            trickle.start();
            long[] after = new long[1];
            String answer = readUntilClosed(socket, started, after);
            trickle.interrupt();
            assertThat(answer).startsWith("HTTP/1.1 408").contains("request_timeout");
            assertThat(after[0]).isLessThan(IDLE.toMillis());
        }
        assertThat(node.engine().commitPointer(StoreId.of("trickle"))).isEmpty();
    }

    @Test
    void keepAliveConnectionServesManyRequestsThenIsClosedWhenIdle() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 3; i++) {
                out.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] buffer = new byte[4096];
                int n = in.read(buffer);
                assertThat(new String(buffer, 0, n, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
            }
            long[] after = new long[1];
            readUntilClosed(socket, System.nanoTime(), after);
            assertThat(after[0]).isLessThan(IDLE.toMillis() - 500);
        }
    }

    @Test
    void longPollLongerThanTheIdleTimeoutGetsItsEmptyAnswerBeforeTheConnectionIsClosed() {
        long next = http.postText("/stores/long-poll/streams/s", "only event").json().path("next").asLong();
        long started = System.nanoTime();
        Http.Answer answer = http.getJson("/stores/long-poll/events?from=" + next + "&wait=" + (3 * IDLE.toSeconds()));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().path("events")).isEmpty();
        assertThat(answer.header("DP-Next")).isEqualTo(Long.toString(next));
        assertThat(millis).as("waited until the cap a margin below the idle timeout (3 s of 4)")
                .isBetween(IDLE.toMillis() / 2, IDLE.toMillis() - 500);
    }

    @Test
    void twoThousandOpenConnectionsLeaveTheNodeAnsweringAndAreAllReleased() throws Exception {
        long before = openFileDescriptors();
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 2000; i++) {
                sockets.add(connect());
            }
            long started = System.nanoTime();
            Http.Answer health = http.get("/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(openFileDescriptors() - before).as("client and node ends of each connection")
                    .isBetween(2000L, 4200L);
            for (Socket socket : sockets) {
                socket.setSoTimeout((int) (IDLE.toMillis() + 5000));
                long[] after = new long[1];
                readUntilClosed(socket, System.nanoTime(), after);
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (openFileDescriptors() - before >= 100 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(openFileDescriptors() - before).as("every connection's descriptors released").isLessThan(100);
        assertThat(http.get("/health").status()).isEqualTo(200);
    }

    private static long openFileDescriptors() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return 0;
        }
        try (Stream<Path> list = Files.list(fds)) {
            return list.count();
        }
    }

}
