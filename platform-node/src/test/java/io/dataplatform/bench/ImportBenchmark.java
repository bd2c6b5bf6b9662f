package io.dataplatform.bench;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.file.FileStorageEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Atomic import of a staged batch, durable: 10 million 100-byte events or 1 million 1 KiB events
 * into an empty store. One import per iteration (single shot); MB/s = staged bytes / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class ImportBenchmark {

    @Param({"100:10000000", "1024:1000000"})
    public String sizeAndCount;

    private FileStorageEngine engine;
    private Path root;
    private static final String STAGED = "batch";

    @Setup(Level.Iteration)
    public void stage() throws IOException {
        String[] parts = sizeAndCount.split(":");
        root = BenchStores.freshDirectory("import");
        engine = new FileStorageEngine(root, EngineOptions.defaults());
        long bytes = BenchStores.stage(engine, STAGED, Long.parseLong(parts[1]), Integer.parseInt(parts[0]));
        System.out.printf("%nstaged %d bytes%n", bytes);
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        engine.close();
        BenchStores.delete(root);
    }

    @Benchmark
    public AppendResult importBatch() {
        return engine.importStaged(BenchStores.STORE, STAGED).join();
    }
}
