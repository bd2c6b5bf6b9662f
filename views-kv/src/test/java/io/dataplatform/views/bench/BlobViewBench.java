package io.dataplatform.views.bench;

import io.dataplatform.testing.azurite.Azurite;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The {@code azure} backend beside {@code file}, in the same run ({@code backend} parameter): on
 * azure, Azurite (the emulator, started by the benchmark's JVM on the same machine) stands in for
 * Azure. Scores are views per second.
 * <ul>
 *   <li>{@link #commitHotViews}: durable commits of the same 1,000 changed 1 KiB views with their
 *       checkpoint. On azure a commit writes through (journal blob, 1,000 view blobs 16 requests at
 *       a time, checkpoint, generation, journal emptied); on file it returns once its journal entry
 *       is synced and the flusher writes the files behind.</li>
 *   <li>{@link #cachedRead}: a random one of 1,000 views, from the cache.</li>
 *   <li>{@link #uncachedRead}: the same from a store without a cache (cacheMaxBytes 0), so
 *       every read goes to the backend (file: stat and read; azure: one GET of the blob).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BlobViewBench {

    private static final int VIEWS = 1_000;

    @Param({"file", "azure"})
    public String backend;

    private Path dir;
    private ViewStore store;
    private ViewStore uncachedStore;
    private ViewContainer views;
    private ViewReader uncached;
    private String[] keys;
    private byte[][] documents;
    private long batch;

    @Setup(Level.Trial)
    public void open() {
        String location;
        if (backend.equals("azure")) {
            Azurite azurite = Azurite.shared();
            location = azurite.location(azurite.uniqueContainer("bench"));
        } else {
            dir = BenchDirs.create("views-blob-bench");
            location = dir.toString();
        }
        store = ViewStores.open(location);
        views = store.container("bench");
        documents = new byte[16][];
        for (int i = 0; i < documents.length; i++) {
            documents[i] = BenchDirs.kib(i);
        }
        keys = new String[VIEWS];
        for (int i = 0; i < VIEWS; i++) {
            keys[i] = "hot/" + i;
        }
        commitHotViews(); // every key exists before the reads
        store.close(); // file: writes and syncs the view files
        store = ViewStores.open(location);
        views = store.container("bench");
        uncachedStore = ViewStores.open(location, ViewStoreOptions.defaults().withCacheMaxBytes(0));
        uncached = uncachedStore.reader("bench");
    }

    @TearDown(Level.Trial)
    public void close() {
        uncachedStore.close();
        store.close();
        if (dir != null) {
            BenchDirs.delete(dir);
        }
    }

    @Benchmark
    @OperationsPerInvocation(VIEWS)
    public void commitHotViews() {
        batch++;
        List<ViewChange> changes = new ArrayList<>(VIEWS);
        for (int i = 0; i < VIEWS; i++) {
            changes.add(ViewChange.write(keys[i], documents[(int) ((batch + i) % documents.length)]));
        }
        views.commit(changes, Checkpoint.at(batch));
    }

    @Benchmark
    public byte[] cachedRead() {
        return views.readBytes(keys[ThreadLocalRandom.current().nextInt(VIEWS)]);
    }

    @Benchmark
    public byte[] uncachedRead() {
        return uncached.readBytes(keys[ThreadLocalRandom.current().nextInt(VIEWS)]);
    }
}
