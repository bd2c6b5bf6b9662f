package io.dataplatform.store.file;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.Durability;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.Event;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.dataplatform.store.file.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Random events, appended in random batches across many chunk boundaries, read back exactly. */
class RoundTripTest {

    private static final StoreId STORE = StoreId.of("round-trip");

    @TempDir
    Path root;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 20121127})
    void randomEventsCrossingChunkBoundariesReadBackExactly(long seed) {
        Random random = new Random(seed);
        int limit = 20_000;
        EngineOptions options = EngineOptions.defaults().withChunkSize(4096).withMaxEventSize(limit)
                .withDurability(Durability.NONE).withWriterThreads(2);
        List<NewEvent> written = new ArrayList<>();
        List<AppendResult> results = new ArrayList<>();
        try (FileStorageEngine engine = new FileStorageEngine(root, options)) {
            for (int batch = 0; batch < 150; batch++) {
                List<NewEvent> events = new ArrayList<>();
                int count = 1 + random.nextInt(random.nextBoolean() ? 3 : 40);
                for (int i = 0; i < count; i++) {
                    events.add(new NewEvent(randomStreamId(random), randomData(random, limit)));
                }
                results.add(await(engine.append(STORE, events)));
                written.addAll(events);
            }
            assertThat(engine.stats(STORE).orElseThrow().chunks()).as("seed %d", seed).isGreaterThan(50);
            try (StoreReader reader = engine.openReader(STORE)) {
                assertReadsBack(seed, reader, written, random);
            }
        }
        // and again after reopening, from another engine and from a reader following the files
        try (FileStorageEngine engine = new FileStorageEngine(root, options);
             StoreReader reader = engine.openReader(STORE)) {
            assertReadsBack(seed, reader, written, random);
        }
        try (StoreReader reader = new FileStorageProvider().openReader(root.toString(), STORE)) {
            assertReadsBack(seed, reader, written, random);
            AppendResult last = results.get(results.size() - 1);
            assertThat(reader.commitPointer().position()).as("seed %d", seed).isEqualTo(last.next());
            assertThat(reader.commitPointer().version()).as("seed %d", seed).isEqualTo(written.size());
        }
    }

    @Test
    void eventsOfZeroBytesAndOfExactlyTheDefaultLimitRoundTrip() {
        int limit = EngineOptions.DEFAULT_MAX_EVENT_SIZE;
        byte[] largest = new byte[limit];
        new Random(7).nextBytes(largest);
        try (FileStorageEngine engine = new FileStorageEngine(root, EngineOptions.defaults().withChunkSize(1024 * 1024))) {
            await(engine.append(STORE, List.of(new NewEvent("empty", new byte[0]), new NewEvent("large", largest),
                    new NewEvent("x".repeat(255), new byte[]{1}))));
            try (StoreReader reader = engine.openReader(STORE)) {
                List<Event> events = EngineFixture.readAll(reader);
                assertThat(events).hasSize(3);
                assertThat(events.get(0).data()).isEmpty();
                assertThat(events.get(1).data()).isEqualTo(largest);
                assertThat(events.get(2).streamId()).hasSize(255);
            }
        }
    }

    private static void assertReadsBack(long seed, StoreReader reader, List<NewEvent> written, Random random) {
        long position = 0;
        int index = 0;
        while (true) {
            EventBatch batch = reader.read(position, 1 + random.nextInt(50), 1 + random.nextInt(30_000));
            if (batch.isEmpty()) {
                break;
            }
            for (int i = 0; i < batch.size(); i++) {
                NewEvent expected = written.get(index);
                assertThat(batch.version(i)).as("seed %d, event %d", seed, index).isEqualTo(index + 1);
                assertThat(batch.streamId(i)).as("seed %d, event %d", seed, index).isEqualTo(expected.streamId());
                assertThat(batch.data(i)).as("seed %d, event %d", seed, index).isEqualTo(expected.data());
                assertThat(batch.dataBuffer(i).remaining()).isEqualTo(expected.data().length);
                index++;
            }
            assertThat(batch.position(0)).isEqualTo(position);
            position = batch.next();
        }
        assertThat(index).as("seed %d: events read back", seed).isEqualTo(written.size());
    }

    private static String randomStreamId(Random random) {
        int length = 1 + random.nextInt(random.nextInt(10) == 0 ? 120 : 12);
        StringBuilder id = new StringBuilder();
        while (id.toString().getBytes(StandardCharsets.UTF_8).length < length) {
            id.appendCodePoint(random.nextInt(8) == 0 ? 0x4e00 + random.nextInt(200) : 'a' + random.nextInt(26));
        }
        String value = id.toString();
        while (value.getBytes(StandardCharsets.UTF_8).length > 255) {
            value = value.substring(0, value.length() - 1);
        }
        return value;
    }

    private static byte[] randomData(Random random, int limit) {
        int size = switch (random.nextInt(10)) {
            case 0 -> 0;
            case 1 -> limit;
            case 2, 3 -> random.nextInt(limit + 1);
            default -> random.nextInt(300);
        };
        byte[] data = new byte[size];
        random.nextBytes(data);
        if (size > 0) {
            Arrays.fill(data, 0, Math.min(4, size), (byte) size);
        }
        return data;
    }
}
