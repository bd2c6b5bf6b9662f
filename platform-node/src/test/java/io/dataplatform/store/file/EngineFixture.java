package io.dataplatform.store.file;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.Durability;
import io.dataplatform.store.Event;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small helpers shared by the engine tests. */
final class EngineFixture {

    static final EngineOptions TINY_CHUNKS = EngineOptions.defaults().withChunkSize(4096).withWriterThreads(4);

    private EngineFixture() {
    }

    static FileStorageEngine open(Path root, EngineOptions options) {
        return new FileStorageEngine(root, options);
    }

    static FileStorageEngine open(Path root) {
        return open(root, TINY_CHUNKS);
    }

    static FileStorageEngine openFast(Path root) {
        return open(root, TINY_CHUNKS.withDurability(Durability.NONE));
    }

    static AppendResult append(FileStorageEngine engine, String store, String stream, String data) {
        return await(engine.append(StoreId.of(store), List.of(NewEvent.of(stream, data))));
    }

    static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Every committed event of a store, from position 0, read in small batches. */
    static List<Event> readAll(StoreReader reader) {
        List<Event> events = new ArrayList<>();
        long position = 0;
        while (true) {
            EventBatch batch = reader.read(position, 7, 1000);
            if (batch.isEmpty()) {
                return events;
            }
            batch.forEach(events::add);
            position = batch.next();
        }
    }
}
