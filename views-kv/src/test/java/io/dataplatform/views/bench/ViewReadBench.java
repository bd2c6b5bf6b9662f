package io.dataplatform.views.bench;

import io.dataplatform.views.ViewContainer;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cached reads of 1 KiB views from the file backend, one thread, random key among 10,000
 * (all fit the default 64 MiB cache). The views are written and flushed in the setup (the store
 * is closed, which writes and syncs them, and opened again) and each is read once, so that the
 * measurement sees the cache as readers do between changes, not the flusher writing the setup's
 * 10,000 files behind the first iterations (as RocksDB's reference flushes its memtable first).
 * Past the bound, the container's generation is read again (one small file per bound); as no
 * view changes, no view is checked by version.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ViewReadBench {

    private static final int KEYS = 10_000;

    private Path dir;
    private ViewStore store;
    private ViewContainer views;
    private String[] keys;

    @Setup(Level.Trial)
    public void open() {
        dir = BenchDirs.create("views-read");
        store = ViewStores.open(dir.toString());
        views = store.container("bench");
        keys = new String[KEYS];
        byte[] document = BenchDirs.kib(2);
        java.util.List<io.dataplatform.views.ViewChange> changes = new java.util.ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "views/" + i;
            changes.add(io.dataplatform.views.ViewChange.write(keys[i], document));
        }
        views.commit(changes, io.dataplatform.views.Checkpoint.at(1));
        store.close(); // writes every view file and syncs it
        store = ViewStores.open(dir.toString());
        views = store.container("bench");
        for (String key : keys) {
            views.readBytes(key);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
        BenchDirs.delete(dir);
    }

    /** Raw bytes (a copy of the cached array). */
    @Benchmark
    public byte[] cachedReadBytes() {
        return views.readBytes(keys[ThreadLocalRandom.current().nextInt(KEYS)]);
    }

    /** Typed: deserialized from the cached bytes by Jackson on every read. */
    @Benchmark
    public String cachedReadTyped() {
        return views.read(keys[ThreadLocalRandom.current().nextInt(KEYS)], String.class);
    }
}
