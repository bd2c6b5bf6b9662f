package io.dataplatform.store.file;

import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.Event;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

import static io.dataplatform.store.file.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The engine and its readers across process boundaries, with real kill -9. */
class CrossProcessTest {

    private static final StoreId STORE = StoreId.of("shared");

    @TempDir
    Path root;

    @Test
    void aSecondJvmReadsWhileTheFirstAppends() throws Exception {
        int events = 20_000;
        long bytes = 0;
        try (FileStorageEngine engine = new FileStorageEngine(root, EngineOptions.defaults().withChunkSize(32 * 1024));
             ChildProcess reader = ChildProcess.start(StoreChild.class, root, "read", root.toString(), STORE.value(),
                     Integer.toString(events))) {
            for (int i = 0; i < events; i += 100) {
                List<NewEvent> batch = new ArrayList<>();
                for (int j = i; j < i + 100; j++) {
                    String data = "event-" + j;
                    bytes += data.length();
                    batch.add(NewEvent.of("s", data));
                }
                await(engine.append(STORE, batch));
            }
            assertThat(reader.readLine()).isEqualTo("read " + events + " " + bytes);
            assertThat(reader.waitFor()).isZero();
        }
    }

    @Test
    void everyAcknowledgedAppendSurvivesKillMinus9() throws Exception {
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        BitSet acknowledged = new BitSet();
        for (int cycle = 0; cycle < 3; cycle++) {
            try (ChildProcess writer = ChildProcess.start(StoreChild.class, root, "append", root.toString(),
                    STORE.value(), "16")) {
                int acks = 200 + random.nextInt(1500);
                for (int i = 0; i < acks; i++) {
                    String line = writer.readLine();
                    assertThat(line).as("seed %d: writer output", seed).startsWith("ack ");
                    String[] parts = line.split(" ");
                    int first = Integer.parseInt(parts[1]);
                    acknowledged.set(first, first + Integer.parseInt(parts[2]));
                }
                writer.kill();
            }
            try (FileStorageEngine engine = new FileStorageEngine(root, EngineOptions.defaults().withChunkSize(64 * 1024));
                 StoreReader reader = engine.openReader(STORE)) {
                List<Event> events = EngineFixture.readAll(reader);
                for (int i = 0; i < events.size(); i++) {
                    assertThat(events.get(i).version()).as("seed %d: versions contiguous", seed).isEqualTo(i + 1);
                    assertThat(new String(events.get(i).data(), StandardCharsets.UTF_8)).startsWith("payload-");
                }
                assertThat(acknowledged.length() - 1).as("seed %d: every acknowledged version is present", seed)
                        .isLessThanOrEqualTo(events.size());
            }
        }
    }
}
