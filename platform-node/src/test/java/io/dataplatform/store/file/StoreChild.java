package io.dataplatform.store.file;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * The other process of the cross-process tests.
 * <ul>
 *   <li>{@code append ROOT STORE THREADS}: appends "v-<n>" events from several threads for ever,
 *   printing {@code ack <first-version> <count>} once each append is acknowledged;</li>
 *   <li>{@code serve ROOT}: for each line {@code append STORE} on its input, appends one event
 *   ("x" on stream "s") and prints {@code ack <commit position after it>}; for {@code flood STORE N},
 *   N such appends one after the other, printing {@code ack <nanoTime> <position>} after each;
 *   {@code pace STORE N MICROS} the same with a pause of MICROS between appends (a steady load for
 *   latency measurements);</li>
 *   <li>{@code read ROOT STORE COUNT}: follows the store's files until it has read COUNT events,
 *   checking versions, then prints {@code read <count> <sum of data lengths>}.</li>
 * </ul>
 */
public final class StoreChild {

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[1]);
        StoreId store = args.length > 2 ? StoreId.of(args[2]) : null;
        switch (args[0]) {
            case "append" -> append(root, store, Integer.parseInt(args[3]));
            case "read" -> read(root, store, Long.parseLong(args[3]));
            case "serve" -> serve(root);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void append(Path root, StoreId store, int threads) throws Exception {
        FileStorageEngine engine = new FileStorageEngine(root, EngineOptions.defaults().withChunkSize(64 * 1024));
        Semaphore inFlight = new Semaphore(threads);
        long n = 0;
        while (true) {
            inFlight.acquire();
            int size = 1 + (int) (n % 5);
            List<NewEvent> events = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                events.add(NewEvent.of("stream-" + (n % 13), "payload-" + n + "-" + i));
            }
            n++;
            CompletableFuture<AppendResult> future = engine.append(store, events);
            future.whenComplete((result, error) -> {
                if (result != null) {
                    synchronized (System.out) {
                        System.out.println("ack " + (result.version() - result.count() + 1) + " " + result.count());
                        System.out.flush();
                    }
                }
                inFlight.release();
            });
        }
    }

    private static void serve(Path root) throws Exception {
        try (FileStorageEngine engine = new FileStorageEngine(root, EngineOptions.defaults());
             java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                     StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                String[] words = line.split(" ");
                StoreId target = StoreId.of(words[1]);
                int count = words.length > 2 ? Integer.parseInt(words[2]) : 1;
                long pauseNanos = words.length > 3 ? Long.parseLong(words[3]) * 1000 : 0;
                for (int i = 0; i < count; i++) {
                    AppendResult result = engine.append(target, List.of(NewEvent.of("s", "x"))).get();
                    System.out.println(words[0].equals("append") ? "ack " + result.next()
                            : "ack " + System.nanoTime() + " " + result.next());
                    if (pauseNanos > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos); // the load's pace
                    }
                }
                System.out.flush();
            }
        }
    }

    private static void read(Path root, StoreId store, long count) throws InterruptedException {
        long read = 0;
        long bytes = 0;
        long position = 0;
        try (StoreReader reader = new FileStorageProvider().openReader(root.toString(), store)) {
            while (read < count) {
                EventBatch batch = reader.read(position, 1000, 64 * 1024);
                for (int i = 0; i < batch.size(); i++) {
                    if (batch.version(i) != read + 1) {
                        throw new IllegalStateException("version " + batch.version(i) + " after " + read);
                    }
                    bytes += new String(batch.data(i), StandardCharsets.UTF_8).length();
                    read++;
                }
                position = batch.next();
                if (batch.isEmpty()) {
                    reader.awaitCommit(position, java.time.Duration.ofSeconds(10));
                }
            }
        }
        System.out.println("read " + read + " " + bytes);
    }
}
