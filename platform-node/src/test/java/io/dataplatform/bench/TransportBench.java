package io.dataplatform.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the client's two HTTP patterns against a running node with three transports, to choose
 * one (see docs/architecture.md, "Client transport"): the JDK's {@code HttpClient} (HTTP/1.1),
 * Vert.x's client over HTTP/1.1 keep-alive connections, and Vert.x's client over HTTP/2 (h2c, one
 * connection).
 *
 * <ul>
 *   <li>{@code append}: {@code concurrency} loops each POSTing batches of {@code events} frames of
 *       100 bytes, one request after the other: requests/s and client CPU per request.</li>
 *   <li>{@code read}: one loop reading the store from 0 in 1 MiB answers of raw records (the
 *       remote reader's request), the bytes landing in one reused array: MB/s and client CPU per MB.</li>
 * </ul>
 *
 * Usage: {@code TransportBench <node URL> <append|read> <store> <jdk|vertx1|vertx2> <seconds> [concurrency] [events]}
 */
public final class TransportBench {

    private interface Transport extends AutoCloseable {
        CompletableFuture<Integer> post(String path, String contentType, byte[] body);

        /** GETs raw records into {@code into}; completes with the next position (DP-Next). */
        CompletableFuture<Long> get(String path, byte[][] into);

        @Override
        void close();
    }

    public static void main(String[] args) throws Exception {
        URI node = URI.create(args[0]);
        String mode = args[1];
        String store = args[2];
        String kind = args[3];
        int seconds = Integer.parseInt(args[4]);
        int concurrency = args.length > 5 ? Integer.parseInt(args[5]) : 1;
        int events = args.length > 6 ? Integer.parseInt(args[6]) : 64;
        try (Transport transport = open(kind, node, concurrency)) {
            if (mode.equals("append")) {
                append(transport, store, kind, seconds, concurrency, events);
            } else {
                read(transport, store, kind, seconds);
            }
        }
        System.exit(0);
    }

    private static void append(Transport transport, String store, String kind, int seconds, int concurrency, int events)
            throws Exception {
        ByteBuffer frames = ByteBuffer.allocate(events * (1 + 2 + 4 + 100));
        for (int i = 0; i < events; i++) {
            frames.put((byte) 2).put((byte) 's').put((byte) ('0' + i % 10)).putInt(100).put(new byte[100]);
        }
        byte[] body = frames.array();
        String path = "/stores/" + store + "/events";
        AtomicLong requests = new AtomicLong();
        long warmupEnd = System.nanoTime() + 5_000_000_000L;
        long end = warmupEnd + seconds * 1_000_000_000L;
        long[] marks = new long[2];
        CompletableFuture<?>[] loops = new CompletableFuture<?>[concurrency];
        for (int c = 0; c < concurrency; c++) {
            loops[c] = CompletableFuture.runAsync(() -> {
                while (System.nanoTime() < end) {
                    int status = transport.post(path, "application/vnd.dataplatform.frames", body).join();
                    if (status != 201) {
                        throw new IllegalStateException("HTTP " + status);
                    }
                    if (System.nanoTime() > warmupEnd) {
                        requests.incrementAndGet();
                    }
                }
            }, runnable -> new Thread(runnable).start());
        }
        while (System.nanoTime() < warmupEnd) {
            Thread.sleep(10); // a clock for the warm-up, not a wait for anything
        }
        marks[0] = cpuNanos();
        CompletableFuture.allOf(loops).join();
        marks[1] = cpuNanos();
        long n = requests.get();
        System.out.printf(Locale.ROOT, "append %s: %d concurrent, %d events/request: %,.0f requests/s, %,.0f events/s, client CPU %.1f us/request (%.2f cores)%n",
                kind, concurrency, events, n / (double) seconds, n * events / (double) seconds,
                (marks[1] - marks[0]) / 1e3 / Math.max(1, n), (marks[1] - marks[0]) / 1e9 / seconds);
    }

    private static void read(Transport transport, String store, String kind, int seconds) {
        byte[][] into = {new byte[0]};
        long bytes = 0;
        long from = 0;
        long warmupEnd = System.nanoTime() + 5_000_000_000L;
        long start = 0;
        long cpuStart = 0;
        while (true) {
            long now = System.nanoTime();
            if (start == 0 && now > warmupEnd) {
                start = now;
                cpuStart = cpuNanos();
                bytes = 0;
            }
            if (start != 0 && now - start > seconds * 1_000_000_000L) {
                break;
            }
            long before = from;
            from = transport.get("/stores/" + store + "/events?from=" + from + "&limit=100000&maxBytes=1048576", into).join();
            bytes += into[0].length == 0 ? 0 : Math.max(0, from - before);
            if (from == before) {
                from = 0; // the end of the store: again from the start
            }
        }
        long nanos = System.nanoTime() - start;
        long cpu = cpuNanos() - cpuStart;
        System.out.printf(Locale.ROOT, "read %s: %,.0f MB/s, client CPU %.2f ms/MB (%.2f cores)%n",
                kind, bytes / 1e6 / (nanos / 1e9), cpu / 1e6 / Math.max(1, bytes / 1e6), cpu / (double) nanos);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Transport open(String kind, URI node, int concurrency) {
        return switch (kind) {
            case "jdk" -> new Jdk(node);
            case "vertx1" -> new VertxTransport(node, HttpVersion.HTTP_1_1, concurrency);
            case "vertx2" -> new VertxTransport(node, HttpVersion.HTTP_2, concurrency);
            default -> throw new IllegalArgumentException("transport " + kind);
        };
    }

    private static final class Jdk implements Transport {
        private final URI node;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        Jdk(URI node) {
            this.node = node;
        }

        @Override
        public CompletableFuture<Integer> post(String path, String contentType, byte[] body) {
            return http.sendAsync(HttpRequest.newBuilder(node.resolve(path)).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding())
                    .thenApply(HttpResponse::statusCode);
        }

        @Override
        public CompletableFuture<Long> get(String path, byte[][] into) {
            return http.sendAsync(HttpRequest.newBuilder(node.resolve(path)).header("Accept", "application/vnd.dataplatform.records")
                    .build(), HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
                        into[0] = response.body();
                        return response.headers().firstValueAsLong("DP-Next").orElseThrow();
                    });
        }

        @Override
        public void close() {
        }
    }

    private static final class VertxTransport implements Transport {
        private final Vertx vertx = Vertx.vertx();
        private final HttpClientAgent http;
        private final String host;
        private final int port;

        VertxTransport(URI node, HttpVersion version, int concurrency) {
            this.host = node.getHost();
            this.port = node.getPort();
            this.http = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(version)
                    .setHttp2ClearTextUpgrade(false).setKeepAlive(true),
                    new PoolOptions().setHttp1MaxSize(Math.max(1, concurrency)).setHttp2MaxSize(1));
        }

        @Override
        public CompletableFuture<Integer> post(String path, String contentType, byte[] body) {
            Buffer buffer = Buffer.buffer(body);
            Future<Integer> status = http.request(HttpMethod.POST, port, host, path)
                    .compose(request -> request.putHeader("Content-Type", contentType).send(buffer))
                    .compose(response -> response.body().map(b -> response.statusCode()));
            return status.toCompletionStage().toCompletableFuture();
        }

        @Override
        public CompletableFuture<Long> get(String path, byte[][] into) {
            Future<Long> next = http.request(HttpMethod.GET, port, host, path)
                    .compose(request -> request.putHeader("Accept", "application/vnd.dataplatform.records").send())
                    .compose(response -> response.body().map(body -> {
                        if (into[0].length < body.length()) {
                            into[0] = new byte[body.length()];
                        }
                        body.getBytes(into[0]);
                        return Long.parseLong(response.getHeader("DP-Next"));
                    }));
            return next.toCompletionStage().toCompletableFuture();
        }

        @Override
        public void close() {
            http.close();
            vertx.close();
        }
    }
}
