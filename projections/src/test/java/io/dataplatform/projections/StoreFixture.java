package io.dataplatform.projections;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.Durability;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.Storage;
import io.dataplatform.store.StoreEngine;
import io.dataplatform.store.StoreId;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real stores for tests: a file engine over a temporary directory (the writer a node would be),
 * filled with events whose stream and data the test chooses; remembers how many events and bytes
 * of data each stream received, the exact counts a counting projection must reach.
 */
public final class StoreFixture implements AutoCloseable {

    public final Path root;
    public final StoreEngine engine;
    public final Map<String, long[]> expected = new HashMap<>();

    private StoreFixture(Path root, StoreEngine engine) {
        this.root = root;
        this.engine = engine;
    }

    /** An engine without syncs (fast fills); readers see the same committed records. */
    public static StoreFixture open(Path root) {
        return new StoreFixture(root, Storage.openEngine(root.toString(),
                EngineOptions.defaults().withDurability(Durability.NONE)));
    }

    /** Over an engine the test already has (a node's). */
    public static StoreFixture over(Path root, StoreEngine engine) {
        return new StoreFixture(root, engine);
    }

    public String location() {
        return root.toString();
    }

    /**
     * Appends {@code count} events to {@code store} in appends of up to 10,000: stream
     * {@code s<i % streams>}, data {@code dataSize} bytes.
     */
    public AppendResult fill(String store, int count, int streams, int dataSize) throws Exception {
        AppendResult last = null;
        List<NewEvent> batch = new ArrayList<>(10_000);
        byte[] data = new byte[dataSize];
        java.util.Arrays.fill(data, (byte) 'x');
        for (int i = 0; i < count; i++) {
            String stream = "s" + (i % streams);
            batch.add(new NewEvent(stream, data));
            long[] counts = expected.computeIfAbsent(stream, k -> new long[2]);
            counts[0]++;
            counts[1] += dataSize;
            if (batch.size() == 10_000 || i == count - 1) {
                last = engine.append(StoreId.of(store), batch).get(60, TimeUnit.SECONDS);
                batch = new ArrayList<>(10_000);
            }
        }
        return last;
    }

    /** Appends one event. */
    public AppendResult append(String store, String stream, String data) throws Exception {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        long[] counts = expected.computeIfAbsent(stream, k -> new long[2]);
        counts[0]++;
        counts[1] += bytes.length;
        return engine.append(StoreId.of(store), List.of(new NewEvent(stream, bytes))).get(60, TimeUnit.SECONDS);
    }

    /** The store's commit position now. */
    public long head(String store) {
        return engine.commitPointer(StoreId.of(store)).orElseThrow().position();
    }

    @Override
    public void close() {
        engine.close();
    }
}
