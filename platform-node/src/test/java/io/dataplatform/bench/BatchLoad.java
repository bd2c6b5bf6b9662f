package io.dataplatform.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load program for batch appends over HTTP: {@code BatchLoad <endpoint> <store> <connections>
 * <seconds> [events per batch] [event bytes]} posts binary-frame batches as fast as the node
 * answers and prints events/s. Each batch has 10,000 × 100-byte events by default.
 */
public final class BatchLoad {
    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        String store = args[1];
        int connections = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int perBatch = args.length > 4 ? Integer.parseInt(args[4]) : 10_000;
        int size = args.length > 5 ? Integer.parseInt(args[5]) : 100;
        byte[] stream = "bench".getBytes();
        ByteBuffer frames = ByteBuffer.allocate(perBatch * (1 + stream.length + 4 + size));
        byte[] data = new byte[size];
        for (int i = 0; i < perBatch; i++) {
            frames.put((byte) stream.length).put(stream).putInt(size).put(data);
        }
        byte[] body = frames.array();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = endpoint.resolve("/stores/" + store + "/events");
        AtomicLong events = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < deadline) {
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/vnd.dataplatform.frames")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 201) {
                            events.addAndGet(perBatch);
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d events in %.1f s = %.0f events/s (%.1f MB/s of data), %d errors, %d connections, %d x %d B per batch%n",
                events.get(), elapsed, events.get() / elapsed, events.get() * size / elapsed / 1e6, errors.get(),
                connections, perBatch, size);
    }
}
