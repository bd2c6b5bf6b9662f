package io.dataplatform.views.bench;

import io.dataplatform.views.Checkpoint;
import io.dataplatform.views.ViewChange;
import io.dataplatform.views.ViewContainer;
import io.dataplatform.views.ViewReader;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStoreOptions;
import io.dataplatform.views.ViewStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * Random reads of 1 KiB views on the {@code rocksdb} backend over 1,000,000 views, one thread:
 * uncached (a store with the cache off, through the writer's container: every read is a RocksDB
 * get), and cached (a second store with the default 64 MiB cache, reading a random one of 10,000
 * hot views, each read once before measuring). The views are committed in batches of 10,000, then
 * the store is closed and opened again, as {@link RocksReferenceBench} does with its values.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RocksViewReadBench {

    private static final int VIEWS = 1_000_000;
    private static final int HOT = 10_000;

    private Path dir;
    private ViewStore uncachedStore;
    private ViewContainer uncached;
    private ViewStore cachedStore;
    private ViewReader cached;
    private String[] keys;

    @Setup(Level.Trial)
    public void open() {
        dir = BenchDirs.create("views-rocksdb-read");
        String location = "rocksdb:" + dir;
        keys = new String[VIEWS];
        byte[] document = BenchDirs.kib(2);
        try (ViewStore loading = ViewStores.open(location)) {
            ViewContainer views = loading.container("bench");
            for (int start = 0; start < VIEWS; start += 10_000) {
                List<ViewChange> changes = new ArrayList<>(10_000);
                for (int i = start; i < start + 10_000; i++) {
                    keys[i] = "views/" + i;
                    changes.add(ViewChange.write(keys[i], document));
                }
                views.commit(changes, Checkpoint.at(start + 10_000));
            }
        }
        uncachedStore = ViewStores.open(location, ViewStoreOptions.defaults().withCacheMaxBytes(0));
        uncached = uncachedStore.container("bench");
        cachedStore = ViewStores.open(location);
        cached = cachedStore.reader("bench"); // reads through the writer's database, in this JVM
        for (int i = 0; i < HOT; i++) {
            cached.readBytes(keys[i]);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        cachedStore.close();
        uncachedStore.close();
        BenchDirs.delete(dir);
    }

    /** A random one of the 1,000,000 views, without the cache. */
    @Benchmark
    public byte[] uncachedRandomRead() {
        return uncached.readBytes(keys[ThreadLocalRandom.current().nextInt(VIEWS)]);
    }

    /** A random one of 10,000 hot views, from the cache (a copy of the bytes). */
    @Benchmark
    public byte[] cachedRandomRead() {
        return cached.readBytes(keys[ThreadLocalRandom.current().nextInt(HOT)]);
    }
}
