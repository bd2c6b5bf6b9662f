package io.dataplatform.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.Storage;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.testing.azurite.Azurite;
import io.dataplatform.testing.azurite.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three node processes on one Azurite container, one store, 16 concurrent writers: the node that
 * holds the store's lease writes it, the others refuse naming the store and the holder; when the
 * holder stops cleanly (lease released) or is killed with {@code kill -9} (lease expires, 15 s
 * here), another node takes the store over, and every acknowledged event is in the store exactly
 * once. A writer whose append failed, for whatever reason, goes on with a new sequence number
 * (never the same payload again), so an unacknowledged event may be stored at most once.
 */
@ExtendWith(AzuriteExtension.class)
class LeaseHandOverTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StoreId STORE = StoreId.of("handover");
    private static final int WRITERS = 16;
    private static final Duration WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** One writer thread's appends: acknowledged payloads, and every payload it ever sent. */
    private static final class Writer implements Runnable {
        final int id;
        final List<URI> nodes;
        final AtomicBoolean stop;
        final HttpClient http;
        final Set<String> acknowledged;
        final Set<String> sent;
        final Map<URI, AtomicLong> acksByNode;
        int preferred;

        Writer(int id, List<URI> nodes, AtomicBoolean stop, HttpClient http, Set<String> acknowledged, Set<String> sent,
               Map<URI, AtomicLong> acksByNode) {
            this.id = id;
            this.nodes = nodes;
            this.stop = stop;
            this.http = http;
            this.acknowledged = acknowledged;
            this.sent = sent;
            this.acksByNode = acksByNode;
        }

        @Override
        public void run() {
            long sequence = 0;
            while (!stop.get()) {
                sequence++;
                String payload = "w" + id + "-" + sequence;
                URI node = nodes.get(preferred % nodes.size());
                sent.add(payload);
                boolean ok = false;
                try {
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(node.resolve("/stores/" + STORE
                                    + "/streams/w" + id)).timeout(Duration.ofSeconds(10))
                            .POST(HttpRequest.BodyPublishers.ofString(payload)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    ok = answer.statusCode() == 201;
                } catch (Exception e) {
                    // refused, reset or timed out: maybe stored, maybe not; never sent again
                }
                if (ok) {
                    acknowledged.add(payload);
                    acksByNode.get(node).incrementAndGet();
                } else {
                    // the writer's own backoff before it tries the next node, not a wait for a condition
                    preferred++;
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
            }
        }
    }

    @Test
    void writersMoveToAnotherNodeWhenTheHolderStopsOrIsKilledAndNoAcknowledgedEventIsLostOrDuplicated()
            throws Exception {
        Azurite azurite = Azurite.shared();
        String location = azurite.location(azurite.uniqueContainer("handover"));
        long begun = System.nanoTime();
        // three nodes started together (a JVM start is the slow part): a, b and c
        List<CompletableFuture<NodeProcess>> starting = new ArrayList<>();
        for (String name : List.of("node-a", "node-b", "node-c")) {
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return NodeProcess.start(location, dir.resolve(name + ".log"),
                            Map.of("DP_AZURE_HOLDER", name, "DP_AZURE_LEASE_SECONDS", "15"), "--durability", "sync");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        NodeProcess a = starting.get(0).get(150, TimeUnit.SECONDS);
        NodeProcess b = starting.get(1).get(150, TimeUnit.SECONDS);
        NodeProcess c = starting.get(2).get(150, TimeUnit.SECONDS);
        long started = System.nanoTime();
        System.out.printf("lease hand-over: nodes started in %.1f s%n", (System.nanoTime() - begun) / 1e9);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> sent = ConcurrentHashMap.newKeySet();
        Map<URI, AtomicLong> acksByNode = new HashMap<>();
        for (NodeProcess node : List.of(a, b, c)) {
            acksByNode.put(node.endpoint(), new AtomicLong());
        }
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        try {
            // the writers' order of nodes: a first; b; and c, which joins the rotation for the kill
            List<URI> nodes = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(a.endpoint(), b.endpoint()));
            for (int w = 0; w < WRITERS; w++) {
                Thread thread = new Thread(new Writer(w, nodes, stop, http, acknowledged, sent, acksByNode), "writer-" + w);
                threads.add(thread);
                thread.start();
            }
            await("100 events acknowledged by node-a", () -> acksByNode.get(a.endpoint()).get() >= 100);
            phase(started, "100 events acknowledged by node-a");

            // node-b refuses the store node-a holds, naming both
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(b.endpoint().resolve("/stores/" + STORE
                    + "/streams/probe")).POST(HttpRequest.BodyPublishers.ofString("probe")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(503);
            JsonNode error = JSON.readTree(refused.body());
            assertThat(error.get("error").asText()).isEqualTo("store_held");
            assertThat(error.get("detail").asText()).contains("'" + STORE + "'").contains("node-a");

            // (a) a clean stop of node-a releases the lease: the writers move to node-b
            a.stop();
            phase(started, "node-a stopped");
            await("100 events acknowledged by node-b", () -> acksByNode.get(b.endpoint()).get() >= 100);
            phase(started, "100 events acknowledged by node-b");

            // (b) kill -9 of node-b: its lease expires, and node-c takes the store over
            nodes.add(c.endpoint());
            b.kill();
            phase(started, "node-b killed");
            await("100 events acknowledged by node-c", () -> acksByNode.get(c.endpoint()).get() >= 100);
            phase(started, "100 events acknowledged by node-c");
        } finally {
            stop.set(true);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
            a.close();
            b.close();
        }

        phase(started, "writers stopped");
        // every acknowledged event exactly once; nothing stored that was not sent; nothing twice
        Map<String, Integer> stored = new HashMap<>();
        try (StoreReader reader = Storage.openReader(location, STORE)) {
            long position = 0;
            while (true) {
                EventBatch batch = reader.read(position, 10_000, 1 << 20);
                if (batch.isEmpty()) {
                    break;
                }
                for (int i = 0; i < batch.size(); i++) {
                    stored.merge(new String(batch.data(i), StandardCharsets.UTF_8), 1, Integer::sum);
                }
                position = batch.next();
            }
        } finally {
            c.close();
        }
        phase(started, "store read: " + stored.size() + " events, " + acknowledged.size() + " acknowledged, "
                + sent.size() + " sent");
        assertThat(stored.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("events stored twice").isEmpty();
        assertThat(acknowledged.stream().filter(p -> !stored.containsKey(p)).toList())
                .as("acknowledged events missing").isEmpty();
        assertThat(stored.keySet().stream().filter(p -> !sent.contains(p)).toList()).as("events never sent").isEmpty();
        assertThat(acksByNode.get(a.endpoint()).get()).isGreaterThanOrEqualTo(100);
        assertThat(acksByNode.get(b.endpoint()).get()).isGreaterThanOrEqualTo(100);
        assertThat(acksByNode.get(c.endpoint()).get()).isGreaterThanOrEqualTo(100);
    }

    /** Prints how long into the test a phase ended (the test's output, for reading a slow run). */
    private static void phase(long started, String what) {
        System.out.printf("lease hand-over: %s after %.1f s%n", what, (System.nanoTime() - started) / 1e9);
    }

    /** Checks a condition until it holds, failing after {@link #WITHIN}. */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WITHIN + ": " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
