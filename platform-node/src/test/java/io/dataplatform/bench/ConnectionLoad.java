package io.dataplatform.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Many connections writing at once: starts a node in a child JVM (durable appends), opens
 * CONNECTIONS keep-alive connections, each sending one 100-byte event after another to one of 8
 * stores, for SECONDS; samples the node's heap (from /metrics), RSS and open file descriptors
 * every 5 s; prints throughput, latency percentiles, answers by status and the samples.
 * Usage: {@code ConnectionLoad <dir> [connections=1000] [seconds=60] [nodeHeap=512m]}.
 */
public final class ConnectionLoad {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+), ");
    /** Latency buckets of 100 µs up to 10 s. */
    private static final int BUCKETS = 100_000;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        String heap = args.length > 3 ? args[3] : "512m";
        Process node = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), "io.dataplatform.cli.Main", "node",
                "--store", dir.resolve("data").toString(), "--http-port", "0")
                .redirectError(dir.resolve("node.log").toFile()).start();
        URI endpoint = null;
        BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        for (String line; endpoint == null && (line = out.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                endpoint = URI.create(m.group(1));
            }
        }
        if (endpoint == null) {
            throw new IllegalStateException("the node did not start; see " + dir.resolve("node.log"));
        }
        System.out.printf(Locale.ROOT, "node pid %d on %s; %d connections for %d s, 100-byte events, 8 stores, durable%n",
                node.pid(), endpoint, connections, seconds);
        try {
            run(node.pid(), endpoint, connections, seconds);
        } finally {
            node.destroy();
            node.waitFor();
        }
    }

    private static void run(long pid, URI endpoint, int connections, int seconds) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(endpoint.getHost())
                        .setDefaultPort(endpoint.getPort()).setKeepAlive(true).setConnectTimeout(30_000),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        Buffer body = Buffer.buffer(new byte[100]);
        AtomicLongArray latency = new AtomicLongArray(BUCKETS);
        LongAdder created = new LongAdder();
        LongAdder busy = new LongAdder();
        LongAdder other = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean running = new AtomicBoolean(true);
        for (int c = 0; c < connections; c++) {
            int loop = c;
            RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
                    .setURI("/stores/load-" + (loop % 8) + "/streams/c" + loop)
                    .putHeader("Content-Type", "application/octet-stream");
            Runnable[] next = new Runnable[1];
            next[0] = () -> {
                if (!running.get()) {
                    return;
                }
                long started = System.nanoTime();
                client.request(request).compose(r -> r.send(body)).compose(r -> r.body().map(b -> r.statusCode()))
                        .onComplete(ar -> {
                            if (measuring.get()) {
                                if (ar.failed()) {
                                    failed.increment();
                                } else if (ar.result() == 201) {
                                    created.increment();
                                    long micros = (System.nanoTime() - started) / 1000;
                                    latency.incrementAndGet((int) Math.min(BUCKETS - 1, micros / 100));
                                } else if (ar.result() == 503) {
                                    busy.increment();
                                } else {
                                    other.increment();
                                }
                            }
                            if (ar.failed() || ar.result() == 503) {
                                vertx.setTimer(100, id -> next[0].run()); // back off as a client honouring Retry-After would, briefly
                            } else {
                                next[0].run();
                            }
                        });
            };
            next[0].run();
        }
        Thread.sleep(5000); // warm up: connections open, JIT compiles
        java.net.http.HttpClient metrics = java.net.http.HttpClient.newHttpClient();
        List<String> samples = new ArrayList<>();
        measuring.set(true);
        long start = System.nanoTime();
        long previous = 0;
        for (int t = 5; t <= seconds; t += 5) {
            Thread.sleep(Math.max(0, start / 1_000_000 + t * 1000L - System.nanoTime() / 1_000_000));
            long now = created.sum();
            samples.add(String.format(Locale.ROOT, "%3d s  %8.0f events/s  heap %4d MiB  RSS %4d MiB  fds %5d  503s %d",
                    t, (now - previous) / 5.0, heapUsed(metrics, endpoint) >> 20, rssKiB(pid) >> 10, fds(pid), busy.sum()));
            System.out.println(samples.get(samples.size() - 1));
            previous = now;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        running.set(false);
        measuring.set(false);
        System.out.printf(Locale.ROOT, "%n%d connections, %.0f s: %,d appends acknowledged (%.0f events/s), 503 %,d, other answers %,d, errors %,d%n",
                connections, elapsed, created.sum(), created.sum() / elapsed, busy.sum(), other.sum(), failed.sum());
        System.out.printf(Locale.ROOT, "latency of acknowledged appends: p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n",
                percentile(latency, 0.50), percentile(latency, 0.99), percentile(latency, 0.999), percentile(latency, 1.0));
        Thread.sleep(2000);
        vertx.close().await();
    }

    private static double percentile(AtomicLongArray latency, double p) {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += latency.get(i);
        }
        long rank = (long) Math.ceil(p * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += latency.get(i);
            if (seen >= rank && latency.get(i) > 0) {
                return (i + 1) / 10.0;
            }
        }
        return 0;
    }

    private static long heapUsed(java.net.http.HttpClient http, URI endpoint) {
        try {
            String text = http.send(HttpRequest.newBuilder(endpoint.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String line : text.split("\n")) {
                if (line.startsWith("dp_jvm_heap_used_bytes ")) {
                    return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    private static long rssKiB(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static long fds(long pid) throws Exception {
        try (Stream<Path> list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return list.count();
        }
    }
}
