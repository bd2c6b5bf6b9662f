package io.dataplatform.node;

import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StagedBatchWriter;
import io.dataplatform.store.StoreId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of generated malformed requests to every route, over raw sockets (bad paths and
 * encodings, bad frame lengths, truncated and oversized bodies, wrong content types, absurd
 * query values, bad or missing tokens, garbage instead of HTTP): never a 5xx, never a hang,
 * the node stays up, and every store stays byte for byte what it was. Every write request is
 * made invalid by construction (at least one defect), so nothing may change. Seeded: the seed
 * is printed and in every assertion ({@code -Dfuzz.seed=...} replays, {@code -Dfuzz.requests=N}).
 */
class HostileInputFuzzTest {
    static final String ADMIN = "fuzz-admin-token-0123456789";
    static final String READER = "fuzz-reader-token-0123456789";
    static final String WRITER = "fuzz-writer-token-0123456789";
    static final List<String> STORES = List.of("alpha", "beta", "tenant-a-x");

    @TempDir
    Path dir;

    private Random random;

    /** One raw request; {@code halfClose}: the client stops sending (a cut body ends there). */
    record Request(String label, byte[] bytes, boolean halfClose) {
    }

    @Test
    void malformedRequestsNeverCauseA5xxAHangOrAChange() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int requests = Integer.getInteger("fuzz.requests", 4000);
        random = new Random(seed);
        System.out.println("fuzz: seed " + seed + ", " + requests + " requests");
        Path data = dir.resolve("data");
        Tokens tokens = Tokens.fromEnvironment(ADMIN + " admin;" + READER + " read:*;" + WRITER + " write:*");
        NodeConfig config = NodeFixture.config(data).withTokens(tokens)
                .withRequestTimeout(Duration.ofSeconds(3)).withIdleTimeout(Duration.ofSeconds(5));
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, String> before;
        try (Node node = Node.start(config)) {
            Http admin = new Http(node.endpoint()).withToken(ADMIN);
            for (String store : STORES) {
                for (int i = 0; i < 5; i++) {
                    assertThat(admin.post("/stores/" + store + "/events", "application/vnd.dataplatform.frames",
                            Http.frames("s" + i, "event " + i, "t", "more " + i)).status()).isEqualTo(201);
                }
            }
            stage(data.resolve(".staging"));
            before = snapshot(data);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", node.port());
            for (int i = 0; i < requests; i++) {
                Request request = generate();
                long started = System.nanoTime();
                int status = send(address, request, seed, i);
                long millis = (System.nanoTime() - started) / 1_000_000;
                statuses.merge(status, 1, Integer::sum);
                if (status >= 200 && status < 300 && !request.label().startsWith("read") && !request.label().startsWith("method GET")
                        && !request.label().startsWith("path")) {
                    System.out.println("fuzz: request " + i + " (" + request.label() + ") answered " + status + ": " + printable(request.bytes()));
                }
                if (!(status == 501 && request.label().equals("unknown http version"))) {
                    assertThat(status).as("seed %d, request %d (%s): %s", seed, i, request.label(), printable(request.bytes()))
                            .isLessThan(500);
                }
                assertThat(millis).as("seed %d, request %d (%s) answered in time", seed, i, request.label()).isLessThan(10_000);
            }
            assertThat(new Http(node.endpoint()).get("/health").status()).isEqualTo(200);
            assertThat(admin.postText("/stores/after-fuzz/streams/s", "still writing").status()).isEqualTo(201);
            assertThat(admin.send("DELETE", "/stores/after-fuzz", null, null, null).status()).isEqualTo(200);
        }
        System.out.println("fuzz: answers by status (0: connection closed without an answer): " + statuses);
        assertThat(snapshot(data)).as("seed %d: every store byte for byte as before", seed).isEqualTo(before);
    }

    @Test
    void streamIdsThatAreNotUtf8AreRefusedNeverReplaced() {
        try (Node node = Node.start(NodeFixture.config(dir.resolve("utf8")))) {
            Http http = new Http(node.endpoint());
            for (String stream : List.of("%FF%FE", "%C3%28", "%ED%A0%80", "%E2%82")) {
                Http.Answer answer = http.postText("/stores/utf8/streams/" + stream, "x");
                assertThat(answer.status()).as(stream + ": " + answer.text()).isEqualTo(400);
                assertThat(answer.error()).isIn("invalid_stream_id", "invalid_path");
            }
            assertThat(http.postText("/stores/utf8/streams/caf%C3%A9%20%E2%98%83", "x").status()).isEqualTo(201);
            assertThat(http.getJson("/stores/utf8/events").json().path("events").get(0).path("stream").asText()).isEqualTo("caf\u00e9 \u2603");
        }
    }

    // --- what is sent

    private Request generate() {
        return switch (random.nextInt(12)) {
            case 0, 1 -> appendOne();
            case 2, 3 -> appendMany();
            case 4 -> importStaged();
            case 5, 6 -> read();
            case 7 -> admin();
            case 8 -> otherRoutes();
            case 9 -> badPath();
            case 10 -> cutBody();
            default -> garbage();
        };
    }

    /** POST /stores/{store}/streams/{stream}: any body is valid data, so the defect is elsewhere. */
    private Request appendOne() {
        String store = pick(STORES);
        String stream = "s";
        String token = WRITER;
        String contentLength = null;
        byte[] body = randomBytes(random.nextInt(64));
        String defect;
        switch (random.nextInt(6)) {
            case 0 -> { store = badStoreId(); defect = "store id"; }
            case 1 -> { stream = pick(List.of("%FF%FE", "%C3%28", "%ED%A0%80", "a".repeat(256), "%E2%82", "%")); defect = "stream id"; }
            case 2 -> { token = pick(java.util.Arrays.asList(null, READER, "wrong-token-0123456789abc", "")); defect = "token"; }
            case 3 -> { contentLength = Long.toString(2L * 1024 * 1024 + 1 + random.nextInt(1 << 30)); body = new byte[0]; defect = "oversized"; }
            case 4 -> { contentLength = pick(List.of("-1", "abc", "1e9", "99999999999999999999", " ")); defect = "content-length"; }
            default -> { store = "nx-" + store; token = READER; defect = "read token"; }
        }
        return http("append-one/" + defect, "POST", "/stores/" + store + "/streams/" + stream, token,
                pick(List.of("application/octet-stream", "text/plain", "")), contentLength, body);
    }

    /** POST /stores/{store}/events with a body that cannot decode (or another defect). */
    private Request appendMany() {
        String store = pick(STORES);
        String type = random.nextBoolean() ? "application/vnd.dataplatform.frames" : "application/x-ndjson";
        byte[] body = type.endsWith("frames") ? badFrames() : badNdjson();
        String token = random.nextInt(5) == 0 ? pick(java.util.Arrays.asList(null, READER, "x")) : WRITER;
        if (random.nextInt(5) == 0) {
            type = pick(List.of("text/plain", "application/json", "", "application/frames", "multipart/form-data; boundary=x"));
            body = random.nextBoolean() ? body : Http.frames("s", "a valid frame, but the wrong content type");
        }
        return http("append-many", "POST", "/stores/" + store + "/events", token, type, null, body);
    }

    private byte[] badFrames() {
        byte[] valid = Http.frames("s", "first event", "stream-" + random.nextInt(9), new String(randomBytes(random.nextInt(50)), StandardCharsets.ISO_8859_1));
        ByteBuffer b = ByteBuffer.wrap(valid.clone());
        return switch (random.nextInt(6)) {
            case 0 -> java.util.Arrays.copyOf(valid, valid.length - 1 - random.nextInt(3)); // cut inside the last frame
            case 1 -> { b.put(0, (byte) 0); yield b.array(); } // empty stream id
            case 2 -> { b.putInt(1 + 1, 0x7fffffff); yield b.array(); } // absurd data length
            case 3 -> { b.putInt(1 + 1, -1 - random.nextInt(1000)); yield b.array(); } // negative data length
            case 4 -> concat(valid, new byte[] {(byte) (1 + random.nextInt(200))}); // a frame that stops after its length byte
            default -> new byte[0]; // empty batch
        };
    }

    private byte[] badNdjson() {
        String good = "{\"stream\":\"s\",\"data\":\"aGk=\"}\n";
        String bad = pick(List.of("not json", "{\"stream\":5}", "{\"stream\":\"s\",\"data\":\"!!!\"}", "[]", "{",
                "{\"stream\":\"\",\"data\":\"\"}", "{\"stream\":\"s\",\"data\":7}", "\u0000", "{\"stream\":\"" + "x".repeat(300) + "\"}",
                "\"just a string\"", "{\"data\":\"aGk=\"}"));
        byte[] text = (good.repeat(random.nextInt(3)) + bad + "\n" + good.repeat(random.nextInt(3))).getBytes(StandardCharsets.UTF_8);
        return random.nextInt(8) == 0 ? concat(text, new byte[] {(byte) 0xff, (byte) 0xfe, '\n'}) : text;
    }

    private Request importStaged() {
        String body = pick(List.of("{\"location\":\"../escape.batch\"}", "{\"location\":\"/etc/passwd\"}",
                "{\"location\":\"evil-link\"}", "{\"location\":\"garbage.batch\"}", "{\"location\":\"cut.batch\"}",
                "{\"location\":\"missing.batch\"}", "{\"location\":\"\"}", "{\"location\":5}", "{}", "[]", "not json",
                "{\"location\":\"sub/../../x\"}", "{\"location\":\"C:\\\\x\"}", "{\"location\":\"a\\u0000b\"}",
                "{\"location\":\"" + "a/".repeat(3000) + "\"}", "{\"location\":\".\"}", "{\"location\":\"link-dir/inner.batch\"}"));
        String token = random.nextInt(6) == 0 ? pick(java.util.Arrays.asList(null, READER)) : WRITER;
        return http("import", "POST", "/stores/" + pick(STORES) + "/import", token,
                pick(List.of("application/json", "text/plain", "")), null, body.getBytes(StandardCharsets.UTF_8));
    }

    private Request read() {
        String store = random.nextInt(5) == 0 ? badStoreId() : pick(STORES);
        StringBuilder query = new StringBuilder("?");
        for (String name : List.of("from", "limit", "maxBytes", "wait")) {
            if (random.nextBoolean()) {
                query.append(name).append('=').append(absurdNumber(name)).append('&');
            }
        }
        if (random.nextInt(4) == 0) {
            query.append(pick(List.of("from=1&from=2", "limit", "=", "%zz=1", "wait=0&wait=99", "from=%00", "&&&")));
        }
        return http("read", "GET", "/stores/" + store + "/events" + query, pick(List.of(READER, READER, ADMIN, WRITER, "nope-0123456789abcdef")),
                null, null, null, pick(List.of("application/json", "application/vnd.dataplatform.records", "*/*", "x/y")));
    }

    private String absurdNumber(String name) {
        return pick(List.of("-1", "abc", "1e9", "99999999999999999999", "9223372036854775807", "-9223372036854775808",
                "0x10", " 5", "5 ", "", "%20", "NaN", "3.5", "+1", name.equals("from") ? Integer.toString(1 + random.nextInt(60)) : "0",
                name.equals("wait") ? "61" : "100001", "０"));
    }

    /** Delete, reopen and shutdown, each with a defect: a bad id, a missing or weak token, or a store that does not exist. */
    private Request admin() {
        String token = pick(java.util.Arrays.asList(null, READER, WRITER, "bad-token-0123456789abcd"));
        String store = pick(STORES);
        if (random.nextInt(3) == 0) {
            token = ADMIN;
            store = random.nextBoolean() ? badStoreId() : "nx-" + random.nextInt(1000);
        }
        return switch (random.nextInt(3)) {
            case 0 -> http("delete", "DELETE", "/stores/" + store, token, null, null, null);
            case 1 -> http("reopen", "POST", "/stores/" + store + "/reopen", token, null, null, null);
            default -> http("shutdown", "POST", "/system/shutdown", pick(java.util.Arrays.asList(null, READER, WRITER, "x")), null, null, randomBytes(random.nextInt(10)));
        };
    }

    private Request otherRoutes() {
        String method = pick(List.of("GET", "PUT", "PATCH", "HEAD", "OPTIONS", "TRACE", "DELETE", "FOO", "CONNECT"));
        String path = pick(List.of("/stores", "/stores/" + pick(STORES), "/health", "/metrics", "/system/shutdown",
                "/stores/" + pick(STORES) + "/events", "/stores/" + pick(STORES) + "/import"));
        if (method.equals("DELETE") && path.startsWith("/stores/") && !path.endsWith("/events") && !path.endsWith("/import")) {
            path = "/stores/nx-" + random.nextInt(100);
        }
        return http("method " + method, method, path, pick(java.util.Arrays.asList(null, READER, WRITER, "junk")), null, null, null);
    }

    private Request badPath() {
        String path = pick(List.of("/stores/%", "/stores/%zz/events", "/stores/../../etc/passwd", "/stores/alpha/../beta/events",
                "//stores//alpha", "/stores/alpha/streams/", "/stores/alpha/streams/a/b", "/\u00e9t\u00e9", "/stores/" + "x".repeat(5000),
                "/stores/alpha%00/events", "/stores/ALPHA/events", "/stores/alpha/events/", "*", "/stores/a b", "/stores/alpha?%",
                "/stores/alpha/events?from=%", "/" + "a/".repeat(2000), "/stores/%2e%2e/events", "/stores/alpha%2Fbeta/events",
                "/stores/\u0000", "/stores/al\tpha", "http://other/stores", "/metrics/../health"));
        String method = pick(List.of("GET", "POST", "DELETE"));
        String token = method.equals("GET") ? pick(java.util.Arrays.asList(READER, null)) : pick(java.util.Arrays.asList(READER, null, "bad-0123456789abcdefgh"));
        return http("path", method, path, token, "application/octet-stream", null, randomBytes(random.nextInt(20)));
    }

    /** A body that stops before its declared length, or a chunked body that breaks off. */
    private Request cutBody() {
        String route = pick(List.of("/stores/alpha/streams/s", "/stores/beta/events", "/stores/alpha/import"));
        String type = route.endsWith("events") ? "application/vnd.dataplatform.frames" : "application/json";
        byte[] body = route.endsWith("events") ? Http.frames("s", "x".repeat(100)) : randomBytes(100);
        int sent = random.nextInt(body.length);
        StringBuilder head = new StringBuilder("POST " + route + " HTTP/1.1\r\nHost: fuzz\r\nAuthorization: Bearer " + WRITER
                + "\r\nContent-Type: " + type + "\r\n");
        byte[] tail;
        if (random.nextBoolean()) {
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            tail = java.util.Arrays.copyOf(body, sent);
        } else {
            head.append("Transfer-Encoding: chunked\r\n\r\n");
            tail = pick(List.of("zz\r\nabc\r\n", "5\r\nab", "ffffffffffffffff\r\n", "3\r\nabc\r\nX", "-1\r\n\r\n"))
                    .getBytes(StandardCharsets.US_ASCII);
        }
        return new Request("cut body", concat(head.toString().getBytes(StandardCharsets.ISO_8859_1), tail), true);
    }

    /** Not HTTP at all, or HTTP broken in its framing. */
    private Request garbage() {
        byte[] bytes = switch (random.nextInt(7)) {
            case 0 -> randomBytes(1 + random.nextInt(300));
            case 1 -> ("GET /health HTTP/1.1\r\nHost: x\r\nX-Long: " + "a".repeat(9000 + random.nextInt(20000)) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            case 2 -> ("GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            case 3 -> {
                // Vert.x answers an HTTP version it does not know with 501 before any handler runs
                yield "GET /health HTTP/9.9\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            }
            case 4 -> ("POST /stores/alpha/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + WRITER
                    + "\r\nContent-Length: 5\r\nContent-Length: 7\r\nContent-Type: application/x-ndjson\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII);
            case 5 -> ("POST /stores/alpha/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + WRITER
                    + "\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\nContent-Type: application/x-ndjson\r\n\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            default -> ("GET /stores HTTP/1.1\r\nHost: x\r\nAuthorization: " + pick(List.of("Basic YTpi", "Bearer", "Bearer  ", "bearer " + READER.toUpperCase(),
                    "Bearer " + READER + "\u0000", "Bearer " + "x".repeat(7000), "Token " + READER)) + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        };
        return new Request(new String(bytes, 0, Math.min(bytes.length, 20), StandardCharsets.ISO_8859_1).contains("HTTP/9.9")
                ? "unknown http version" : "garbage", bytes, true);
    }

    private Request http(String label, String method, String path, String token, String type, String contentLength, byte[] body) {
        return http(label, method, path, token, type, contentLength, body, null);
    }

    private Request http(String label, String method, String path, String token, String type, String contentLength, byte[] body,
                         String accept) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (type != null && !type.isEmpty()) {
            head.append("Content-Type: ").append(type).append("\r\n");
        }
        if (accept != null) {
            head.append("Accept: ").append(accept).append("\r\n");
        }
        byte[] content = body == null ? new byte[0] : body;
        if (contentLength != null) {
            head.append("Content-Length: ").append(contentLength).append("\r\n");
        } else if (body != null) {
            head.append("Content-Length: ").append(content.length).append("\r\n");
        }
        head.append("\r\n");
        return new Request(label, concat(head.toString().getBytes(StandardCharsets.UTF_8), content), false);
    }

    /** Sends the request on a fresh connection; returns the answer's status, or 0 if the node closed without one. */
    private static int send(InetSocketAddress address, Request request, long seed, int index) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.bytes());
                out.flush();
                if (request.halfClose()) {
                    socket.shutdownOutput();
                }
            } catch (IOException closedEarly) {
                // the node answered (413, 400) and closed before taking everything: read the answer
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try {
                int b;
                while ((b = in.read()) >= 0 && b != '\n') {
                    line.write(b);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("seed " + seed + ", request " + index + " (" + request.label() + "): no answer within 10 s: "
                        + printable(request.bytes()));
            } catch (IOException reset) {
                // reset by the node: a close without an answer
            }
            String status = line.toString(StandardCharsets.ISO_8859_1);
            if (status.isEmpty()) {
                return 0;
            }
            assertThat(status).as("status line").startsWith("HTTP/");
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    // --- what must not change

    /** Staging files an import might be tricked into: garbage, a cut batch, symbolic links out. */
    private void stage(Path staging) throws IOException {
        Files.createDirectories(staging);
        Files.write(staging.resolve("garbage.batch"), randomBytes(500));
        Path valid = staging.resolve("valid.tmp");
        try (StagedBatchWriter writer = StagedBatchWriter.create(valid)) {
            for (int i = 0; i < 5; i++) {
                writer.add(NewEvent.of("s", "staged " + i));
            }
        }
        byte[] bytes = Files.readAllBytes(valid);
        Files.write(staging.resolve("cut.batch"), java.util.Arrays.copyOf(bytes, bytes.length - 3));
        Files.delete(valid);
        Path outside = dir.resolve("outside.batch");
        Files.write(outside, bytes);
        Files.createSymbolicLink(staging.resolve("evil-link"), outside);
        Files.createDirectories(dir.resolve("outside-dir"));
        Files.write(dir.resolve("outside-dir").resolve("inner.batch"), bytes);
        Files.createSymbolicLink(staging.resolve("link-dir"), dir.resolve("outside-dir"));
    }

    /** Every file under the storage location but the staging area, with its SHA-256. */
    private static Map<String, String> snapshot(Path data) throws Exception {
        Map<String, String> files = new TreeMap<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> walk = Files.walk(data)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String name = data.relativize(file).toString();
                if (!name.startsWith(".staging")) {
                    files.put(name, HexFormat.of().formatHex(sha.digest(Files.readAllBytes(file))));
                }
            }
        }
        return files;
    }

    // --- small pieces

    private String badStoreId() {
        return pick(List.of("A", "ab", "Alpha", "a--b", "-ab", "ab-", "a_b", "a.b", "x".repeat(49), "%41lpha", "al%20pha",
                "%E2%98%83", "..", ".", "%2e%2e", "al pha"));
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static String printable(byte[] bytes) {
        Function<Byte, String> show = b -> b >= 0x20 && b < 0x7f ? Character.toString((char) (byte) b) : String.format("\\x%02x", b);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, 300); i++) {
            out.append(show.apply(bytes[i]));
        }
        return bytes.length > 300 ? out + "... (" + bytes.length + " bytes)" : out.toString();
    }
}
