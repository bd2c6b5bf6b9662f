package io.dataplatform.bench;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.file.FileStorageEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Durable single-event appends from 64 concurrent appenders, 100-byte events, one store:
 * throughput (events/s) and the latency distribution of one append (p50, p99).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(1)
@Threads(64)
public class GroupCommitBenchmark {

    private FileStorageEngine engine;
    private Path root;
    private final List<NewEvent> event = List.of(new NewEvent("stream-1", new byte[100]));

    @Setup
    public void open() throws IOException {
        root = BenchStores.freshDirectory("group-commit");
        engine = new FileStorageEngine(root, EngineOptions.defaults());
    }

    @TearDown
    public void close() throws IOException {
        engine.close();
        BenchStores.delete(root);
    }

    @Benchmark
    public AppendResult appendDurably() {
        return engine.append(BenchStores.STORE, event).join();
    }
}
