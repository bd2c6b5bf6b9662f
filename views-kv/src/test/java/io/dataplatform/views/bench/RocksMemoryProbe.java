package io.dataplatform.views.bench;

import io.dataplatform.views.Checkpoint;
import io.dataplatform.views.ViewChange;
import io.dataplatform.views.ViewContainer;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Not a JMH benchmark: commits {@code keys} views of about {@code bytes} bytes each to one
 * {@code rocksdb} container in batches of 10,000, printing the process's resident memory (VmRSS)
 * as it goes, then reads random views for 20 s and prints it again. Run with a small heap so the
 * native part shows: {@code java -Xmx256m -cp ... io.dataplatform.views.bench.RocksMemoryProbe DIR 10000000 100}.
 */
public final class RocksMemoryProbe {

    private RocksMemoryProbe() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int keys = Integer.parseInt(args[1]);
        int bytes = Integer.parseInt(args[2]);
        String location = "rocksdb:" + dir + (args.length > 3 ? args[3] : "");
        byte[] document = new byte[bytes];
        java.util.Arrays.fill(document, (byte) 'x');
        document[0] = '"';
        document[bytes - 1] = '"';
        long start = System.nanoTime();
        try (ViewStore store = ViewStores.open(location)) {
            ViewContainer views = store.container("probe");
            for (int first = 0; first < keys; first += 10_000) {
                List<ViewChange> changes = new ArrayList<>(10_000);
                for (int i = first; i < Math.min(keys, first + 10_000); i++) {
                    byte[] value = document.clone();
                    byte[] id = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(id, 0, value, 1, Math.min(id.length, bytes - 2));
                    changes.add(ViewChange.write("users/" + i, value));
                }
                views.commit(changes, Checkpoint.at(first + changes.size()));
                if ((first / 10_000) % 100 == 99 || first + 10_000 >= keys) {
                    System.out.printf("%,d views committed in %.0f s: RSS %s, Java heap used %,d MiB%n", first + changes.size(),
                            (System.nanoTime() - start) / 1e9, rss(), used() >> 20);
                }
            }
            long until = System.nanoTime() + 20_000_000_000L;
            long reads = 0;
            while (System.nanoTime() < until) {
                views.readBytes("users/" + ThreadLocalRandom.current().nextInt(keys));
                reads++;
            }
            System.out.printf("%,d random reads in 20 s: RSS %s, Java heap used %,d MiB%n", reads, rss(), used() >> 20);
        }
        long size;
        try (var files = Files.walk(dir)) {
            size = files.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).sum();
        }
        System.out.printf("closed: RSS %s; database files %,d MiB%n", rss(), size >> 20);
    }

    private static long used() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static String rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return line.substring(6).trim();
            }
        }
        return "?";
    }
}
