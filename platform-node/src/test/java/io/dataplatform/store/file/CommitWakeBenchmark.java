package io.dataplatform.store.file;

import io.dataplatform.client.PlatformClient;
import io.dataplatform.node.Node;
import io.dataplatform.node.NodeConfig;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreEngine;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Wake-up latency of commit waits: from an append's acknowledgement to the moment a reader blocked
 * in {@link StoreReader#awaitCommit} returns with it, over many commits, for each way a reader
 * learns of commits. Appends come one at a time with a pause between them (the waiter re-arms in
 * between); durability is the default (sync). The first fifth of the commits warms up and is not
 * counted.
 * <ul>
 *   <li>{@code engine}: the engine and its reader in this JVM (in-process commit listener);</li>
 *   <li>{@code remote}: a node in this JVM, the reader over HTTP on loopback (pointer long poll);</li>
 *   <li>{@code file}: an engine in a child JVM writes, this JVM reads its files (commit pointer
 *   watcher, inotify on Linux); acknowledgement times are the child's {@code System.nanoTime},
 *   the same monotonic clock on Linux;</li>
 *   <li>{@code file-polled}: the same with the watcher's polling fallback.</li>
 * </ul>
 * Usage: {@code CommitWakeBenchmark DIR [commits=2500] [pauseMicros=2000] [paths=engine,remote,file,file-polled]},
 * with an absolute class path (the child JVM runs in DIR).
 * Prints p50, p90, p99 and max per path.
 */
public final class CommitWakeBenchmark {

    private static final StoreId STORE = StoreId.of("wake");

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int commits = args.length > 1 ? Integer.parseInt(args[1]) : 2500;
        long pauseNanos = (args.length > 2 ? Long.parseLong(args[2]) : 2000) * 1000;
        List<String> paths = List.of((args.length > 3 ? args[3] : "engine,remote,file,file-polled").split(","));
        for (String path : paths) {
            Path root = Files.createDirectories(dir.resolve(path));
            long[] latencies = switch (path) {
                case "engine" -> inProcess(root, commits, pauseNanos, false);
                case "remote" -> inProcess(root, commits, pauseNanos, true);
                case "file" -> crossProcess(root, commits, pauseNanos, CommitPointerWatcher.shared());
                case "file-polled" -> crossProcess(root, commits, pauseNanos, new CommitPointerWatcher(false,
                        CommitPointerWatcher.SAFETY_NET_POLL, CommitPointerWatcher.FALLBACK_POLL));
                default -> throw new IllegalArgumentException("unknown path " + path);
            };
            report(path, latencies);
        }
        System.exit(0);
    }

    /** Acknowledgement times by commit position, and the waiter's wake-ups. */
    private static final class Timeline {
        final ConcurrentSkipListMap<Long, Long> acks = new ConcurrentSkipListMap<>();
        final List<long[]> wakes = new ArrayList<>();
        volatile Throwable failure;

        /** Blocks in awaitCommit from {@code start} until the pointer reaches {@code end}, noting each wake-up. */
        Thread waiter(StoreReader reader, long start, long[] end) {
            Thread thread = new Thread(() -> {
                try {
                    long position = start;
                    while (end[0] < 0 || position < end[0]) {
                        CommitPointer pointer = reader.awaitCommit(position, Duration.ofSeconds(1));
                        long now = System.nanoTime();
                        if (pointer.position() > position) {
                            wakes.add(new long[]{now, pointer.position()});
                            position = pointer.position();
                        }
                    }
                } catch (Throwable e) {
                    failure = e;
                }
            }, "waiter");
            thread.start();
            return thread;
        }

        /**
         * For each acknowledged commit after the first {@code warmup} (class loading, JIT, the first
         * connection): the first wake-up that covers it, minus its acknowledgement.
         */
        long[] latencies(int warmup) {
            if (failure != null) {
                throw new IllegalStateException("the waiter failed", failure);
            }
            long[] result = new long[Math.max(0, acks.size() - warmup)];
            int i = 0;
            int seen = 0;
            int w = 0;
            for (var ack : acks.entrySet()) {
                while (wakes.get(w)[1] < ack.getKey()) {
                    w++;
                }
                if (seen++ >= warmup) {
                    result[i++] = wakes.get(w)[0] - ack.getValue();
                }
            }
            return result;
        }
    }

    private static long[] inProcess(Path root, int commits, long pauseNanos, boolean remote) throws Exception {
        Node node = null;
        StoreEngine engine;
        if (remote) {
            node = Node.start(NodeConfig.defaults().withStoreLocation(root.toString()).withPort(0).withEventLoops(2));
            engine = node.engine();
        } else {
            engine = new FileStorageEngine(root, EngineOptions.defaults());
        }
        try {
            long start = engine.append(STORE, List.of(NewEvent.of("s", "x"))).join().next();
            Timeline timeline = new Timeline();
            long[] end = {-1};
            try (StoreReader reader = remote ? PlatformClient.remote(node.endpoint(), STORE).remoteReader()
                    : engine.openReader(STORE)) {
                Thread waiter = timeline.waiter(reader, start, end);
                long last = start;
                for (int i = 0; i < commits; i++) {
                    last = engine.append(STORE, List.of(NewEvent.of("s", "x")))
                            .whenComplete((r, e) -> timeline.acks.put(r.next(), System.nanoTime())).join().next();
                    LockSupport.parkNanos(pauseNanos); // the load's pace
                }
                end[0] = last;
                waiter.join();
            }
            return timeline.latencies(commits / 5);
        } finally {
            if (node != null) {
                node.close();
            } else {
                engine.close();
            }
        }
    }

    private static long[] crossProcess(Path root, int commits, long pauseNanos, CommitPointerWatcher watcher)
            throws Exception {
        try (ChildProcess writer = ChildProcess.start(StoreChild.class, root, "serve", root.toString())) {
            writer.writeLine("append " + STORE.value());
            long start = Long.parseLong(writer.readLine().substring(4));
            Timeline timeline = new Timeline();
            long[] end = {-1};
            try (StoreReader reader = FileStoreReader.following(STORE, root.resolve(STORE.value()), null, watcher)) {
                Thread waiter = timeline.waiter(reader, start, end);
                writer.writeLine("pace " + STORE.value() + " " + commits + " " + pauseNanos / 1000);
                long last = start;
                for (int i = 0; i < commits; i++) {
                    String[] ack = writer.readLine().split(" ");
                    last = Long.parseLong(ack[2]);
                    timeline.acks.put(last, Long.parseLong(ack[1]));
                }
                end[0] = last;
                waiter.join();
            }
            return timeline.latencies(commits / 5);
        }
    }

    private static void report(String path, long[] latencies) {
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        long early = Arrays.stream(sorted).filter(n -> n < 0).count();
        System.out.printf("%-12s %6d commits: p50 %8.3f ms, p90 %8.3f ms, p99 %8.3f ms, max %8.3f ms (%d woken before the ack was seen)%n",
                path, sorted.length, ms(percentile(sorted, 50)), ms(percentile(sorted, 90)),
                ms(percentile(sorted, 99)), ms(sorted[sorted.length - 1]), early);
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
