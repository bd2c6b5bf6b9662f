package io.dataplatform.bench;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.file.FileStorageEngine;
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

/** Time from opening the engine to the store being recovered and ready, for a 1 GiB and a 10 GiB store. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class OpenBenchmark {

    @Param({"1", "10"})
    public int gib;

    private Path root;

    @Setup
    public void fill() throws IOException {
        root = BenchStores.freshDirectory("open-" + gib);
        BenchStores.fill(root, (long) gib << 30, 1024);
    }

    @TearDown
    public void delete() throws IOException {
        BenchStores.delete(root);
    }

    @Benchmark
    public CommitPointer openUntilReady() {
        try (FileStorageEngine engine = new FileStorageEngine(root, EngineOptions.defaults())) {
            return engine.commitPointer(BenchStores.STORE).orElseThrow();
        }
    }
}
