package io.dataplatform.node;

import io.dataplatform.cli.Main;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.Storage;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crash loop: a real node process, 32 concurrent writers over HTTP (single events and
 * batches), {@code kill -9} at a random moment, restart on the same directory, and check: every
 * acknowledged event is present byte for byte at its acknowledged version and position, no
 * append is partly visible, versions are contiguous from 1, and {@code client verify} passes.
 * 5 cycles in every build; 100 in the {@code reliability} profile ({@code -Dcrashloop.cycles=N}
 * overrides both).
 */
class CrashLoopTest {
    static final StoreId STORE = StoreId.of("crash-loop");
    static final int WRITERS = 32;

    @TempDir
    Path dir;

    /** One acknowledged append: where the node said it landed, and what it held. */
    record Acked(long position, long lastVersion, String stream, List<byte[]> events) {
    }

    @Test
    void everyAcknowledgedEventSurvivesKillMinus9() throws Exception {
        crashLoop(Integer.getInteger("crashloop.cycles", 5));
    }

    @Test
    @Tag("slow")
    void everyAcknowledgedEventSurvivesAHundredKillMinus9() throws Exception {
        crashLoop(Integer.getInteger("crashloop.cycles", 100));
    }

    private void crashLoop(int cycles) throws Exception {
        long seed = Long.getLong("crashloop.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("crash loop: seed " + seed + ", " + cycles + " cycles");
        Path data = dir.resolve("data");
        Path log = dir.resolve("node.log");
        ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();
        long[] appendCounters = new long[WRITERS];
        long eventsAcked = 0;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        NodeProcess node = NodeProcess.start(data, log);
        try {
            for (int cycle = 1; cycle <= cycles; cycle++) {
                long killAfterMillis = 100 + random.nextInt(1500);
                int before = acked.size();
                runWritersUntilKilled(node, http, random.nextLong(), appendCounters, acked, killAfterMillis);
                node = NodeProcess.start(data, log);
                List<Acked> cycleAcks = new ArrayList<>(acked).subList(before, acked.size());
                long cycleEvents = cycleAcks.stream().mapToLong(a -> a.events().size()).sum();
                eventsAcked += cycleEvents;
                long lost = check(node, http, data, acked, seed, cycle);
                System.out.printf("crash loop: cycle %d: killed after %d ms, %d appends (%d events) acknowledged, %d lost%n",
                        cycle, killAfterMillis, cycleAcks.size(), cycleEvents, lost);
                assertThat(lost).as("seed %d, cycle %d: acknowledged events lost", seed, cycle).isZero();
            }
        } finally {
            node.kill();
        }
        System.out.printf("crash loop: seed %d, cycles %d, events acknowledged %d, events lost 0%n", seed, cycles, eventsAcked);
        assertThat(eventsAcked).as("the writers got acknowledgements").isPositive();
    }

    /** Starts 32 writers, kills the node {@code killAfterMillis} after the first acknowledgement, waits for the writers. */
    private static void runWritersUntilKilled(NodeProcess node, HttpClient http, long seed, long[] appendCounters,
                                              ConcurrentLinkedQueue<Acked> acked, long killAfterMillis) throws Exception {
        AtomicBoolean dead = new AtomicBoolean();
        CountDownLatch firstAck = new CountDownLatch(1);
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Random random = new Random(seed + w);
            writers.execute(() -> {
                while (!dead.get()) {
                    long append = appendCounters[writer]++;
                    Acked done = appendOnce(node.endpoint(), http, random, writer, append);
                    if (done == null) {
                        return; // the node is gone: this append may or may not have landed
                    }
                    acked.add(done);
                    firstAck.countDown();
                }
            });
        }
        assertThat(firstAck.await(60, TimeUnit.SECONDS)).as("a first append is acknowledged").isTrue();
        Thread.sleep(killAfterMillis);
        node.kill();
        dead.set(true);
        writers.shutdown();
        assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    }

    /** One append (a single event or a batch of 2 to 20); null if the node did not answer 201. */
    private static Acked appendOnce(URI endpoint, HttpClient http, Random random, int writer, long append) {
        String stream = "w" + writer;
        int count = random.nextInt(3) == 0 ? 1 : 2 + random.nextInt(19);
        List<byte[]> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(payload(writer, append, i, count, random));
        }
        HttpRequest request;
        if (count == 1 && random.nextBoolean()) {
            request = HttpRequest.newBuilder(endpoint.resolve("/stores/" + STORE + "/streams/" + stream))
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(events.get(0))).build();
        } else {
            request = HttpRequest.newBuilder(endpoint.resolve("/stores/" + STORE + "/events"))
                    .header("Content-Type", "application/vnd.dataplatform.frames")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(frames(stream, events))).build();
        }
        try {
            HttpResponse<byte[]> response = http.send(request.newBuilder(request, (k, v) -> true)
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 201) {
                throw new AssertionError("append answered " + response.statusCode() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
            }
            var json = Http.JSON.readTree(response.body());
            return new Acked(json.path("position").asLong(), json.path("version").asLong(), stream, events);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** "w<writer>-a<append>-e<i>/<n>|" then 0 to 400 bytes of every value: names its append, so partial appends show. */
    static byte[] payload(int writer, long append, int index, int count, Random random) {
        byte[] head = ("w" + writer + "-a" + append + "-e" + index + "/" + count + "|").getBytes(StandardCharsets.US_ASCII);
        byte[] data = Arrays.copyOf(head, head.length + random.nextInt(401));
        for (int i = head.length; i < data.length; i++) {
            data[i] = (byte) random.nextInt(256);
        }
        return data;
    }

    static byte[] frames(String stream, List<byte[]> events) {
        byte[] id = stream.getBytes(StandardCharsets.UTF_8);
        int size = events.stream().mapToInt(e -> 1 + id.length + 4 + e.length).sum();
        ByteBuffer out = ByteBuffer.allocate(size);
        for (byte[] event : events) {
            out.put((byte) id.length).put(id).putInt(event.length).put(event);
        }
        return out.array();
    }

    private record Stored(long position, String stream, byte[] data) {
    }

    /**
     * After a restart: recovers the store through the node, reads every event directly from its
     * files and checks it. Returns how many acknowledged events are missing or different.
     */
    private static long check(NodeProcess node, HttpClient http, Path data, ConcurrentLinkedQueue<Acked> acked,
                              long seed, int cycle) throws Exception {
        HttpResponse<byte[]> stats = http.send(HttpRequest.newBuilder(node.endpoint().resolve("/stores/" + STORE)).build(),
                HttpResponse.BodyHandlers.ofByteArray()); // opening the store recovers it
        assertThat(stats.statusCode()).as(new String(stats.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        long nodeVersion = Http.JSON.readTree(stats.body()).path("commit").path("version").asLong();

        Map<Long, Stored> byVersion = new HashMap<>();
        Map<String, List<Long>> appends = new HashMap<>();
        long position = 0;
        long lastVersion = 0;
        try (StoreReader reader = Storage.openReader(data.toString(), STORE)) {
            while (true) {
                EventBatch batch = reader.read(position, 10_000, 4 * 1024 * 1024);
                if (batch.isEmpty()) {
                    break;
                }
                for (int i = 0; i < batch.size(); i++) {
                    long version = batch.version(i);
                    assertThat(version).as("seed %d, cycle %d: versions contiguous from 1", seed, cycle).isEqualTo(lastVersion + 1);
                    lastVersion = version;
                    byte[] bytes = batch.data(i);
                    byVersion.put(version, new Stored(batch.position(i), batch.streamId(i), bytes));
                    String head = new String(bytes, 0, indexOf(bytes, (byte) '|'), StandardCharsets.US_ASCII);
                    String appendId = head.substring(0, head.lastIndexOf("-e"));
                    appends.computeIfAbsent(appendId, k -> new ArrayList<>()).add(version);
                }
                position = batch.next();
            }
        }
        assertThat(lastVersion).as("seed %d, cycle %d: the node's version", seed, cycle).isEqualTo(nodeVersion);
        for (Map.Entry<String, List<Long>> append : appends.entrySet()) {
            List<Long> versions = append.getValue();
            String any = new String(byVersion.get(versions.get(0)).data(), StandardCharsets.US_ASCII);
            int count = Integer.parseInt(any.substring(any.indexOf('/') + 1, any.indexOf('|')));
            assertThat(versions).as("seed %d, cycle %d: append %s is whole and once", seed, cycle, append.getKey()).hasSize(count);
            assertThat(versions.get(count - 1) - versions.get(0)).as("append %s is contiguous", append.getKey()).isEqualTo(count - 1);
        }
        long lost = 0;
        for (Acked append : acked) {
            long first = append.lastVersion() - append.events().size() + 1;
            for (int i = 0; i < append.events().size(); i++) {
                Stored stored = byVersion.get(first + i);
                boolean same = stored != null && stored.stream().equals(append.stream())
                        && Arrays.equals(stored.data(), append.events().get(i))
                        && (i > 0 || stored.position() == append.position());
                if (!same) {
                    lost++;
                }
            }
        }
        int verify = Main.run("client", "verify", "--store", STORE.value(), "--location", data.toString(), "-q");
        assertThat(verify).as("seed %d, cycle %d: client verify", seed, cycle).isZero();
        return lost;
    }

    private static int indexOf(byte[] bytes, byte value) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        throw new AssertionError("no '|' in an event: not written by this test");
    }
}
