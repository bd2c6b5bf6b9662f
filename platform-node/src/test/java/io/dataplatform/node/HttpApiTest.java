package io.dataplatform.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StagedBatchWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** Every route of the HTTP API v1 against a real node: its success and each of its errors. */
class HttpApiTest {
    @TempDir
    static Path dir;
    static Node node;
    static Http http;

    @BeforeAll
    static void startNode() {
        node = NodeFixture.start(dir);
        http = new Http(node.endpoint());
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    private static void assertError(Http.Answer answer, int status, String error, String detailPart) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.header("content-type")).startsWith("application/json");
        assertThat(answer.error()).isEqualTo(error);
        assertThat(answer.detail()).contains(detailPart);
    }

    // --- POST /stores/{store}/streams/{stream}

    @Test
    void firstWriteCreatesTheStoreAndAnswersPositionNextVersion() {
        Http.Answer first = http.postText("/stores/one-event/streams/order-1", "hello");
        Http.Answer second = http.postText("/stores/one-event/streams/order-1", "world");
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().path("position").asLong()).isZero();
        assertThat(first.json().path("version").asLong()).isEqualTo(1);
        assertThat(second.json().path("position").asLong()).isEqualTo(first.json().path("next").asLong());
        assertThat(second.json().path("version").asLong()).isEqualTo(2);
        assertThat(second.json().path("durable").asBoolean()).isTrue();
    }

    @Test
    void invalidStoreIdIsRefusedNamingTheRule() {
        assertError(http.postText("/stores/Sales/streams/s", "x"), 400, "invalid_store_id", "lowercase letters");
        assertError(http.postText("/stores/ab/streams/s", "x"), 400, "invalid_store_id", "3 to 48 characters");
        assertError(http.postText("/stores/a--b/streams/s", "x"), 400, "invalid_store_id", "no two dashes");
        assertThat(node.engine().list()).noneMatch(id -> id.value().equals("a--b"));
    }

    @Test
    void streamIdTooLongIsRefused() {
        assertError(http.postText("/stores/long-stream/streams/" + "a".repeat(256), "x"), 400,
                "invalid_stream_id", "1 to 255 bytes");
        assertThat(node.engine().commitPointer(io.dataplatform.store.StoreId.of("long-stream"))).isEmpty();
    }

    @Test
    void escapedStreamIdIsDecoded() {
        assertThat(http.postText("/stores/escaped/streams/user%2F42%20x", "x").status()).isEqualTo(201);
        Http.Answer read = http.getJson("/stores/escaped/events?from=0");
        assertThat(read.json().path("events").get(0).path("stream").asText()).isEqualTo("user/42 x");
    }

    @Test
    void rawBytesOutsidePrintableAsciiInThePathAreRefusedNotGarbled() throws Exception {
        byte[] head = "POST /stores/raw-bytes/streams/".getBytes(StandardCharsets.US_ASCII);
        byte[] rawUtf8 = "\u00fc".getBytes(StandardCharsets.UTF_8); // 0xC3 0xBC, not percent-encoded
        byte[] rest = " HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx".getBytes(StandardCharsets.US_ASCII);
        String answer = sendRaw(concat(head, rawUtf8, rest));
        assertThat(answer).startsWith("HTTP/1.1 400").contains("\"error\":\"invalid_path\"").contains("0xC3");
        String inQuery = sendRaw(concat("GET /stores/raw-bytes/events?from=0&x=".getBytes(StandardCharsets.US_ASCII),
                rawUtf8, " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(inQuery).startsWith("HTTP/1.1 400").contains("\"error\":\"invalid_path\"").contains("query");
        assertThat(node.engine().commitPointer(io.dataplatform.store.StoreId.of("raw-bytes"))).isEmpty();
        assertThat(http.postText("/stores/raw-bytes/streams/%C3%BC", "x").status()).isEqualTo(201);
        assertThat(http.getJson("/stores/raw-bytes/events?from=0").json().path("events").get(0).path("stream").asText())
                .isEqualTo("\u00fc");
    }

    /** Writes {@code request} on a fresh connection and returns everything the node answers until it closes. */
    private static String sendRaw(byte[] request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(node.endpoint().getHost(), node.endpoint().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = socket.getInputStream().read(buffer)) >= 0; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (java.net.SocketException reset) {
                // a reset is a close too
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static String sendRaw(String request) throws Exception {
        return sendRaw(request.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void framingTheHttpDecoderCannotReadIsRefusedBeforeTheApiWithoutAJsonAnswer() throws Exception {
        String badLength = sendRaw("POST /stores/bad-framing/streams/s HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\nhello");
        assertThat(badLength).as("Vert.x's own 400, with an empty body").startsWith("HTTP/1.1 400")
                .contains("content-length: 0").doesNotContain("{");
        String brokenChunk = sendRaw("POST /stores/bad-framing/events HTTP/1.1\r\nHost: x\r\nContent-Type: "
                + EventFrames.NDJSON + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n");
        assertThat(brokenChunk).as("the connection is closed without an answer").isEmpty();
        assertThat(node.engine().commitPointer(io.dataplatform.store.StoreId.of("bad-framing"))).isEmpty();
    }

    @Test
    void eventOverTheLimitIsRefused() {
        byte[] big = new byte[node.config().maxEventSize() + 1];
        assertError(http.post("/stores/too-big/streams/s", "application/octet-stream", big), 413,
                "event_too_large", "limit of " + node.config().maxEventSize());
        assertThat(node.engine().commitPointer(io.dataplatform.store.StoreId.of("too-big"))).isEmpty();
    }

    @Test
    void oversizedChunkedBodyIsRefused() throws Exception {
        byte[] big = new byte[node.config().maxEventSize() + 10];
        HttpRequest request = HttpRequest.newBuilder(node.endpoint().resolve("/stores/chunked/streams/s"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(Http.JSON.readTree(response.body()).path("error").asText()).isEqualTo("event_too_large");
    }

    @Test
    void aChunkedBatchOfUnknownSizeIsReadWhole() throws Exception {
        String[] streamAndData = new String[2 * 3000];
        for (int i = 0; i < 3000; i++) {
            streamAndData[2 * i] = "s" + (i % 7);
            streamAndData[2 * i + 1] = "event-" + i + "-" + "x".repeat(i % 50);
        }
        byte[] body = Http.frames(streamAndData);
        HttpRequest request = HttpRequest.newBuilder(node.endpoint().resolve("/stores/chunked-batch/events"))
                .header("Content-Type", EventFrames.FRAMES)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode events = http.getJson("/stores/chunked-batch/events?from=0&limit=100000&maxBytes=4000000").json().path("events");
        assertThat(events).hasSize(3000);
        for (int i = 0; i < 3000; i += 499) {
            assertThat(events.get(i).path("stream").asText()).isEqualTo(streamAndData[2 * i]);
            assertThat(new String(Base64.getDecoder().decode(events.get(i).path("data").asText())))
                    .isEqualTo(streamAndData[2 * i + 1]);
        }
    }

    // --- POST /stores/{store}/events

    @Test
    void binaryFramesAreAppendedAtomically() {
        Http.Answer answer = http.post("/stores/frames/events", EventFrames.FRAMES, Http.frames("a", "1", "b", "22", "a", ""));
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        assertThat(answer.json().path("count").asInt()).isEqualTo(3);
        assertThat(answer.json().path("version").asLong()).isEqualTo(3);
        JsonNode events = http.getJson("/stores/frames/events?from=0").json().path("events");
        assertThat(events).hasSize(3);
        assertThat(events.get(1).path("stream").asText()).isEqualTo("b");
        assertThat(Base64.getDecoder().decode(events.get(1).path("data").asText())).isEqualTo("22".getBytes());
    }

    @Test
    void ndjsonIsAppendedAtomically() {
        String body = "{\"stream\":\"s1\",\"data\":\"" + b64("hi") + "\"}\n\n{\"stream\":\"s2\",\"data\":\"\"}\n";
        Http.Answer answer = http.post("/stores/ndjson/events", EventFrames.NDJSON, body.getBytes());
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        assertThat(answer.json().path("count").asInt()).isEqualTo(2);
        assertThat(http.getJson("/stores/ndjson/events?from=0").json().path("events")).hasSize(2);
    }

    @Test
    void malformedFramesAreRefusedAndNothingIsWritten() {
        byte[] good = Http.frames("a", "1");
        byte[] truncated = ByteBuffer.allocate(good.length + 7).put(good).put((byte) 1).put((byte) 'x')
                .putInt(100).put((byte) 0).array();
        assertError(http.post("/stores/bad-frames/events", EventFrames.FRAMES, truncated), 400, "invalid_frames",
                "frame 1");
        assertError(http.post("/stores/bad-frames/events", EventFrames.FRAMES, new byte[]{0, 0, 0, 0, 0}), 400,
                "invalid_frames", "empty");
        assertError(http.post("/stores/bad-frames/events", EventFrames.FRAMES, new byte[0]), 400, "empty_batch", "no events");
        byte[] overLimit = ByteBuffer.allocate(6).put((byte) 1).put((byte) 'a').putInt(Integer.MAX_VALUE).array();
        assertError(http.post("/stores/bad-frames/events", EventFrames.FRAMES, overLimit), 413, "event_too_large", "frame 0");
        assertThat(node.engine().commitPointer(io.dataplatform.store.StoreId.of("bad-frames"))).isEmpty();
    }

    @Test
    void malformedNdjsonIsRefusedNamingTheLine() {
        String ok = "{\"stream\":\"s\",\"data\":\"\"}\n";
        assertError(http.post("/stores/bad-ndjson/events", EventFrames.NDJSON, (ok + "not json\n").getBytes()),
                400, "invalid_ndjson", "line 2");
        assertError(http.post("/stores/bad-ndjson/events", EventFrames.NDJSON, "{\"stream\":1}".getBytes()),
                400, "invalid_ndjson", "\"stream\" must be a string");
        assertError(http.post("/stores/bad-ndjson/events", EventFrames.NDJSON, "{\"stream\":\"s\",\"data\":\"%%\"}".getBytes()),
                400, "invalid_ndjson", "base64");
        assertError(http.post("/stores/bad-ndjson/events", EventFrames.NDJSON,
                ("{\"stream\":\"" + "x".repeat(300) + "\",\"data\":\"\"}").getBytes()), 400, "invalid_stream_id", "line 1");
        assertThat(node.engine().commitPointer(io.dataplatform.store.StoreId.of("bad-ndjson"))).isEmpty();
    }

    @Test
    void aBatchOfMoreEventsThanTheLimitIsRefusedNamingItAndNothingIsWritten() {
        int limit = NodeConfig.MAX_BATCH_EVENTS;
        ByteBuffer frames = ByteBuffer.allocate((limit + 1) * 6);
        for (int i = 0; i <= limit; i++) {
            frames.put((byte) 1).put((byte) 's').putInt(0);
        }
        assertError(http.post("/stores/many-events/events", EventFrames.FRAMES, frames.array()), 400, "too_many_events",
                "at most " + limit + " events; frame " + limit);
        String line = "{\"stream\":\"s\"}\n";
        byte[] ndjson = line.repeat(limit + 1).getBytes(StandardCharsets.US_ASCII);
        assertThat(ndjson.length).as("decoded on the worker pool").isGreaterThan(StoreRoutes.NDJSON_ON_EVENT_LOOP);
        Http.Answer refused = http.post("/stores/many-events/events", EventFrames.NDJSON, ndjson);
        assertError(refused, 400, "too_many_events", "line " + (limit + 1));
        assertThat(refused.detail()).contains("/import");
        assertThat(node.engine().commitPointer(io.dataplatform.store.StoreId.of("many-events"))).isEmpty();
        Http.Answer atTheLimit = http.post("/stores/many-events/events", EventFrames.FRAMES,
                java.util.Arrays.copyOf(frames.array(), limit * 6));
        assertThat(atTheLimit.status()).as(atTheLimit.text()).isEqualTo(201);
        assertThat(atTheLimit.json().path("count").asInt()).isEqualTo(limit);
    }

    @Test
    void largeBatchBodiesAreDecodedOnTheWorkerPoolNotOnAnEventLoop() throws Exception {
        String line = "{\"stream\":\"s\",\"data\":\"\"}\n";
        byte[] body = line.repeat(NodeConfig.MAX_BATCH_EVENTS - 1).getBytes(StandardCharsets.US_ASCII);
        HttpRequest request = HttpRequest.newBuilder(node.endpoint().resolve("/stores/decoded-off-loop/events"))
                .header("Content-Type", EventFrames.NDJSON).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        java.util.concurrent.CompletableFuture<HttpResponse<String>> answer = HttpClient.newHttpClient()
                .sendAsync(request, HttpResponse.BodyHandlers.ofString());
        java.util.Set<String> decodingThreads = new java.util.TreeSet<>();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!answer.isDone() && System.nanoTime() < deadline) {
            // sample every thread's stack while the request is served: where does the decoding run?
            Thread.getAllStackTraces().forEach((thread, stack) -> {
                for (StackTraceElement frame : stack) {
                    if (frame.getClassName().equals(EventFrames.class.getName()) && frame.getMethodName().equals("decodeNdjson")) {
                        decodingThreads.add(thread.getName());
                    }
                }
            });
        }
        HttpResponse<String> response = answer.get(1, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(decodingThreads).as("threads seen decoding").isNotEmpty()
                .noneMatch(name -> name.startsWith("vert.x-eventloop"));
    }

    @Test
    void unknownContentTypeIsRefused() {
        assertError(http.post("/stores/types/events", "text/plain", "x".getBytes()), 415, "unsupported_media_type",
                "text/plain");
    }

    // --- POST /stores/{store}/import

    @Test
    void stagedBatchIsImportedAtomically() throws Exception {
        Path staging = Files.createDirectories(dir.resolve(".staging"));
        try (StagedBatchWriter writer = StagedBatchWriter.create(staging.resolve("batch-1.dat"))) {
            for (int i = 0; i < 100; i++) {
                writer.add(NewEvent.of("s-" + i, "event " + i));
            }
        }
        Http.Answer answer = http.post("/stores/imported/import", "application/json",
                "{\"location\":\"batch-1.dat\"}".getBytes());
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        assertThat(answer.json().path("count").asInt()).isEqualTo(100);
        JsonNode events = http.getJson("/stores/imported/events?from=0&limit=1000").json().path("events");
        assertThat(events).hasSize(100);
        assertThat(events.get(99).path("stream").asText()).isEqualTo("s-99");
    }

    @Test
    void stagingLocationsOutsideTheStagingAreaAreRefused() throws Exception {
        Path staging = Files.createDirectories(dir.resolve(".staging"));
        Path outside = Files.writeString(dir.resolve("outside.dat"), "x");
        Files.createSymbolicLink(staging.resolve("link.dat"), outside);
        for (String location : new String[]{"../outside.dat", outside.toString(), "link.dat", "missing.dat"}) {
            Http.Answer answer = http.post("/stores/import-refused/import", "application/json",
                    ("{\"location\":" + Http.JSON.writeValueAsString(location) + "}").getBytes());
            assertError(answer, 400, "invalid_staging_location", "");
        }
        assertError(http.post("/stores/import-refused/import", "application/json", "[1]".getBytes()), 400,
                "invalid_import", "location");
        assertError(http.post("/stores/import-refused/import", "application/json", new byte[70 * 1024]), 413,
                "body_too_large", "import");
        assertThat(node.engine().commitPointer(io.dataplatform.store.StoreId.of("import-refused"))).isEmpty();
    }

    // --- GET /stores/{store}/events

    @Test
    void readAnswersRawRecordsWithNextAndCommitHeaders() {
        Http.Answer written = http.postText("/stores/raw-read/streams/s", "abc");
        long next = written.json().path("next").asLong();
        Http.Answer read = http.get("/stores/raw-read/events?from=0");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("content-type")).isEqualTo(EventReads.RECORDS_TYPE);
        assertThat(read.header("DP-Next")).isEqualTo(Long.toString(next));
        assertThat(read.header("DP-Count")).isEqualTo("1");
        assertThat(read.header("DP-Commit-Position")).isEqualTo(Long.toString(next));
        assertThat(read.body()).hasSize((int) next);
        Http.Answer json = http.getJson("/stores/raw-read/events?from=" + next);
        assertThat(json.json().path("events")).isEmpty();
        assertThat(json.json().path("next").asLong()).isEqualTo(next);
    }

    @Test
    void readLimitsTheBatchAndContinuesFromNext() {
        for (int i = 0; i < 5; i++) {
            http.postText("/stores/paged/streams/s", "e" + i);
        }
        JsonNode first = http.getJson("/stores/paged/events?from=0&limit=2").json();
        assertThat(first.path("events")).hasSize(2);
        JsonNode rest = http.getJson("/stores/paged/events?from=" + first.path("next").asLong()).json();
        assertThat(rest.path("events")).hasSize(3);
        assertThat(rest.path("events").get(0).path("version").asLong()).isEqualTo(3);
    }

    @Test
    void positionNotOnARecordBoundaryIsRefused() {
        http.postText("/stores/boundary/streams/s", "abc");
        assertError(http.get("/stores/boundary/events?from=3"), 400, "invalid_position", "record boundary");
        assertError(http.get("/stores/boundary/events?from=-1"), 400, "invalid_position", "");
        assertError(http.get("/stores/boundary/events?from=999999"), 400, "invalid_position", "");
        assertError(http.get("/stores/boundary/events?limit=x"), 400, "invalid_parameter", "limit");
        assertError(http.get("/stores/boundary/events?wait=61"), 400, "invalid_parameter", "wait");
    }

    @Test
    void unknownStoreAnswers404() {
        assertError(http.get("/stores/no-such-store/events?from=0"), 404, "store_not_found", "no-such-store");
        assertError(http.get("/stores/no-such-store"), 404, "store_not_found", "no-such-store");
        assertError(http.send("DELETE", "/stores/no-such-store", null, null, null), 404, "store_not_found", "no-such-store");
    }

    // --- GET /stores, GET/DELETE /stores/{store}

    @Test
    void listingAndStatsShowTheStore() {
        Http.Answer written = http.postText("/stores/listed/streams/s", "abc");
        JsonNode stores = http.get("/stores").json().path("stores");
        assertThat(stores.findValuesAsText("store")).contains("listed");
        JsonNode stats = http.get("/stores/listed").json();
        assertThat(stats.path("commit").path("position").asLong()).isEqualTo(written.json().path("next").asLong());
        assertThat(stats.path("commit").path("version").asLong()).isEqualTo(1);
        assertThat(stats.path("bytes").asLong()).isPositive();
    }

    @Test
    void deleteResetsTheStore() {
        http.postText("/stores/reset-me/streams/s", "abc");
        Http.Answer deleted = http.send("DELETE", "/stores/reset-me", null, null, null);
        assertThat(deleted.status()).isEqualTo(200);
        assertError(http.get("/stores/reset-me"), 404, "store_not_found", "reset-me");
        Http.Answer again = http.postText("/stores/reset-me/streams/s", "new");
        assertThat(again.json().path("version").asLong()).isEqualTo(1);
    }

    // --- routing

    @Test
    void wrongMethodAnswers405WithAllow() {
        Http.Answer answer = http.send("PUT", "/stores/x-store", null, null, null);
        assertError(answer, 405, "method_not_allowed", "PUT");
        assertThat(answer.header("allow")).isEqualTo("GET, DELETE");
        assertThat(http.send("GET", "/stores/x-store/streams/s", null, null, null).header("allow")).isEqualTo("POST");
    }

    @Test
    void unknownRouteAnswers404() {
        assertError(http.get("/nope"), 404, "route_not_found", "/nope");
        assertError(http.get("/stores/"), 404, "route_not_found", "/stores/");
        assertError(http.get("/stores/x-store/events/more"), 404, "route_not_found", "/events/more");
    }

    @Test
    void expectContinueIsAnsweredBeforeTheBodyIsSent() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(node.endpoint().getHost(), node.endpoint().getPort())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out.write(("POST /stores/continued/streams/s HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                    + "Expect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(in.readLine()).isEmpty();
            out.write("hello".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 201 Created");
        }
        try (java.net.Socket socket = new java.net.Socket(node.endpoint().getHost(), node.endpoint().getPort())) {
            socket.setSoTimeout(10_000);
            var out = socket.getOutputStream();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            // too large: refused at once, without waiting for a body that is never sent
            out.write(("POST /stores/continued/streams/s HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + (node.config().maxEventSize() + 1) + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
        }
        assertThat(http.getJson("/stores/continued/events?from=0").json().path("events")).hasSize(1);
    }

    // --- system

    @Test
    void healthAndMetricsAnswer() {
        http.postText("/stores/metered/streams/s", "abc");
        assertThat(http.get("/health").json().path("status").asText()).isEqualTo("ok");
        Http.Answer metrics = http.get("/metrics");
        assertThat(metrics.header("content-type")).startsWith("text/plain");
        assertThat(metrics.text()).contains("dp_appends_total", "dp_events_total", "dp_bytes_total",
                "dp_commit_events_bucket", "dp_sync_seconds_count", "dp_queued_bytes");
        assertThat(metricValue(metrics.text(), "dp_appends_total")).isPositive();
    }

    /** The value of an unlabelled metric; Prometheus writes every value as a number like {@code 3.0}. */
    static long metricValue(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + " "))
                .mapToLong(l -> wholeNumber(l.substring(name.length() + 1))).findFirst().orElseThrow();
    }

    /** A metric value that counts something: a whole number, written {@code 3.0} or {@code 3}. */
    static long wholeNumber(String value) {
        double number = Double.parseDouble(value.trim());
        assertThat(number).as("a count: %s", value).isEqualTo(Math.rint(number));
        return (long) number;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

}
