package io.dataplatform.bench;

import io.dataplatform.store.Durability;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StagedBatchWriter;
import io.dataplatform.store.StoreEngine;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.file.FileStorageEngine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Builds and removes the stores the engine benchmarks run on (under target/, on the real disk). */
final class BenchStores {

    static final StoreId STORE = StoreId.of("bench");

    private BenchStores() {
    }

    static Path freshDirectory(String name) throws IOException {
        Path dir = Path.of(System.getProperty("bench.dir", "target/jmh-data")).resolve(name).toAbsolutePath();
        delete(dir);
        Files.createDirectories(dir);
        return dir;
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Writes a staged batch of {@code count} events of {@code size} bytes; returns its staged bytes. */
    static long stage(StoreEngine engine, String name, long count, int size) throws IOException {
        NewEvent event = new NewEvent("s", new byte[size]);
        try (StagedBatchWriter writer = StagedBatchWriter.create(engine.stagingArea(), name)) {
            for (long i = 0; i < count; i++) {
                writer.add(event);
            }
            return writer.bytes();
        }
    }

    /** Fills a store with about {@code bytes} of {@code size}-byte events, by imports of 1 GiB at most. */
    static long fill(Path root, long bytes, int size) throws IOException {
        long record = 26 + 1 + size;
        long total = bytes / record;
        try (FileStorageEngine engine = new FileStorageEngine(root, EngineOptions.defaults().withDurability(Durability.NONE))) {
            long left = total;
            while (left > 0) {
                long count = Math.min(left, (1L << 30) / record);
                stage(engine, "fill.batch", count, size);
                engine.importStaged(STORE, "fill.batch").join(); // consumes the batch
                left -= count;
            }
        }
        return total;
    }
}
