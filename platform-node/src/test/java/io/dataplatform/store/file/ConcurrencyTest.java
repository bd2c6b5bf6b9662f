package io.dataplatform.store.file;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class ConcurrencyTest {

    private static final StoreId STORE = StoreId.of("busy");

    @TempDir
    Path root;

    @Test
    void everyAcknowledgedEventIsReadBackExactlyOnceInOrderWithContiguousVersions() throws Exception {
        int writers = 16;
        int appendsPerWriter = 150;
        Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(writers + 3);
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            List<Future<?>> writerTasks = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                writerTasks.add(threads.submit(() -> {
                    for (int a = 0; a < appendsPerWriter; a++) {
                        int size = 1 + (a % 3);
                        List<NewEvent> events = new ArrayList<>();
                        for (int i = 0; i < size; i++) {
                            events.add(NewEvent.of("writer-" + writer, writer + "/" + a + "/" + i));
                        }
                        AppendResult result = EngineFixture.await(engine.append(STORE, events));
                        for (int i = 0; i < size; i++) {
                            acknowledged.put(result.version() - size + 1 + i, writer + "/" + a + "/" + i);
                        }
                    }
                    return null;
                }));
            }
            // tailing readers run while the writers write: each must see a gapless, ordered log
            List<Future<Long>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readers.add(threads.submit(() -> {
                    long seen = 0;
                    long position = 0;
                    try (StoreReader reader = waitForStore(engine)) {
                        while (writing.get() || position < reader.commitPointer().position()) {
                            EventBatch batch = reader.read(position, 100, 8192);
                            for (int i = 0; i < batch.size(); i++) {
                                assertThat(batch.version(i)).isEqualTo(seen + 1);
                                seen++;
                            }
                            position = batch.next();
                        }
                    }
                    return seen;
                }));
            }
            for (Future<?> task : writerTasks) {
                task.get(120, TimeUnit.SECONDS);
            }
            writing.set(false);
            for (Future<Long> reader : readers) {
                assertThat(reader.get(60, TimeUnit.SECONDS)).isEqualTo(acknowledged.size());
            }
            try (StoreReader reader = engine.openReader(STORE)) {
                List<String> perWriterOrder = new ArrayList<>();
                long version = 0;
                for (var event : EngineFixture.readAll(reader)) {
                    version++;
                    assertThat(event.version()).isEqualTo(version);
                    assertThat(event.dataAsString()).isEqualTo(acknowledged.get(version));
                    perWriterOrder.add(event.dataAsString());
                }
                assertThat(version).isEqualTo(acknowledged.size());
                // each writer's appends appear in the order it made them
                for (int w = 0; w < writers; w++) {
                    String prefix = w + "/";
                    List<String> mine = perWriterOrder.stream().filter(s -> s.startsWith(prefix)).toList();
                    List<String> expected = new ArrayList<>();
                    for (int a = 0; a < appendsPerWriter; a++) {
                        for (int i = 0; i < 1 + (a % 3); i++) {
                            expected.add(w + "/" + a + "/" + i);
                        }
                    }
                    assertThat(mine).isEqualTo(expected);
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static StoreReader waitForStore(FileStorageEngine engine) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (engine.commitPointer(STORE).isPresent()) {
                return engine.openReader(STORE);
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("store never appeared");
    }

}
