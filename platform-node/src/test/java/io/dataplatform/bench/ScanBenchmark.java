package io.dataplatform.bench;

import io.dataplatform.store.EventBatch;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.file.FileStorageProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One thread reads a whole 1 GiB store from the page cache, verifying every checksum and
 * touching every event's data: time per full scan; events/s = events / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(1)
public class ScanBenchmark {

    @Param({"100", "1024"})
    public int size;

    private Path root;
    private long events;

    @Setup
    public void fill() throws IOException {
        root = BenchStores.freshDirectory("scan-" + size);
        events = BenchStores.fill(root, 1L << 30, size);
        System.out.printf("%nstore of %d events of %d bytes%n", events, size);
    }

    @TearDown
    public void delete() throws IOException {
        BenchStores.delete(root);
    }

    @Benchmark
    public long scan() {
        long count = 0;
        long checksum = 0;
        long position = 0;
        try (StoreReader reader = new FileStorageProvider().openReader(root.toString(), BenchStores.STORE)) {
            while (true) {
                EventBatch batch = reader.read(position, 100_000, 4 << 20);
                if (batch.isEmpty()) {
                    break;
                }
                for (int i = 0; i < batch.size(); i++) {
                    checksum += batch.dataLength(i) + batch.version(i);
                }
                count += batch.size();
                position = batch.next();
            }
        }
        if (count != events) {
            throw new IllegalStateException("read " + count + " of " + events);
        }
        return checksum;
    }
}
