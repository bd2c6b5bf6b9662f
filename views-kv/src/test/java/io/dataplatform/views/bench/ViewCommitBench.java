package io.dataplatform.views.bench;

import io.dataplatform.views.Checkpoint;
import io.dataplatform.views.ViewChange;
import io.dataplatform.views.ViewContainer;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Durable commits of 1,000 changed 1 KiB views with their checkpoint, on the {@code file} and the
 * {@code rocksdb} backend ({@code backend} parameter); the score is views per second. On
 * {@code rocksdb} a commit is one synced write batch (compare {@link RocksReferenceBench}). On
 * {@code file} a commit returns once its journal entry is synced; view files are
 * written behind by the container's flusher, whose work competes for the same cores and disk,
 * and whose full dirty set (64 MiB) makes commits wait for it: with new keys that happens within
 * the warmup, so measured iterations run at the pace the flusher creates files. The bulk syncs
 * (every ~64 MiB of journal) are inside the measurement; the final flush and sync, at close, are
 * not (with hot keys: 1,000 files; with new keys: up to the 64 MiB dirty set).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ViewCommitBench {

    private static final int VIEWS = 1_000;

    @Param({"file", "rocksdb"})
    public String backend;

    private Path dir;
    private ViewStore store;
    private ViewContainer views;
    private byte[][] documents;
    private long batch;

    @Setup(Level.Trial)
    public void open() {
        dir = BenchDirs.create("views-commit");
        store = ViewStores.open(backend.equals("rocksdb") ? "rocksdb:" + dir : dir.toString());
        views = store.container("bench");
        documents = new byte[16][];
        for (int i = 0; i < documents.length; i++) {
            documents[i] = BenchDirs.kib(i);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
        BenchDirs.delete(dir);
    }

    /** The same 1,000 views rewritten by every commit: projections rewriting hot views. */
    @Benchmark
    @OperationsPerInvocation(VIEWS)
    public void commitHotViews() {
        batch++;
        List<ViewChange> changes = new ArrayList<>(VIEWS);
        for (int i = 0; i < VIEWS; i++) {
            changes.add(ViewChange.write("hot/" + i, documents[(int) ((batch + i) % documents.length)]));
        }
        views.commit(changes, Checkpoint.at(batch));
    }

    /** 1,000 views never written before in every commit. */
    @Benchmark
    @OperationsPerInvocation(VIEWS)
    public void commitNewViews() {
        batch++;
        List<ViewChange> changes = new ArrayList<>(VIEWS);
        for (int i = 0; i < VIEWS; i++) {
            changes.add(ViewChange.write("new/" + batch + "/" + i, documents[i % documents.length]));
        }
        views.commit(changes, Checkpoint.at(batch));
    }
}
