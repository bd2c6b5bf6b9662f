package io.dataplatform.store.file;

import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.FileBackedReader;
import io.dataplatform.store.LocatedRecords;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.dataplatform.store.file.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link FileBackedReader#locate}: the records found by walking their headers are exactly those a
 * read returns (same bytes, count and end), for every limit; in doubt it finds nothing, so that a
 * read answers and reports the problem.
 */
class LocateRecordsTest {
    private static final StoreId STORE = StoreId.of("located");

    @TempDir
    Path root;

    private FileStorageEngine engineWithEvents(int batches, int maxSize) {
        FileStorageEngine engine = EngineFixture.open(root, EngineOptions.defaults().withChunkSize(256 * 1024));
        Random random = new Random(5);
        for (int b = 0; b < batches; b++) {
            List<NewEvent> events = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                byte[] data = new byte[random.nextInt(maxSize + 1)];
                random.nextBytes(data);
                events.add(new NewEvent("s-" + random.nextInt(5), data));
            }
            await(engine.append(STORE, events));
        }
        return engine;
    }

    private static byte[] bytesOf(LocatedRecords found) throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate((int) found.length());
        while (bytes.hasRemaining()) {
            found.file().read(bytes, found.offset() + bytes.position());
        }
        return bytes.array();
    }

    private static byte[] bytesOf(EventBatch batch) {
        ByteBuffer raw = batch.rawRecords();
        byte[] bytes = new byte[raw.remaining()];
        raw.get(bytes);
        return bytes;
    }

    @Test
    void locatedRecordsAreExactlyWhatAReadReturnsForEveryLimit() throws Exception {
        try (FileStorageEngine engine = engineWithEvents(40, 900);
             FileBackedReader reader = (FileBackedReader) engine.openReader(STORE);
             FileBackedReader check = (FileBackedReader) engine.openReader(STORE)) {
            long commit = reader.commitPointer().position();
            int compared = 0;
            for (int[] limits : new int[][] {{100_000, 64 * 1024}, {7, 1 << 20}, {100_000, 5000}, {1, 100_000}}) {
                long from = 0;
                while (from < commit) {
                    EventBatch batch = check.read(from, limits[0], limits[1]);
                    try (LocatedRecords found = reader.locate(from, limits[0], limits[1], 1)) {
                        assertThat(found).as("from %d, limits %d events %d bytes", from, limits[0], limits[1]).isNotNull();
                        assertThat(found.count()).isEqualTo(batch.size());
                        assertThat(found.next()).isEqualTo(batch.next());
                        assertThat(bytesOf(found)).isEqualTo(bytesOf(batch));
                    }
                    from = batch.next();
                    compared++;
                }
            }
            // chunks of 256 KiB: the walks crossed from one chunk to the next, as reads do
            assertThat(engine.stats(STORE).orElseThrow().chunks()).isGreaterThan(2);
            assertThat(compared).isGreaterThan(40);
        }
    }

    @Test
    void everyMappingIsReleasedBeforeLocateReturns() throws Exception {
        Path maps = Path.of("/proc/self/maps");
        assumeTrue(Files.isReadable(maps), "the process's mappings are listed in /proc (Linux)");
        assertThat(Mappings.releasesAtOnce()).isTrue();
        try (FileStorageEngine engine = engineWithEvents(10, 900);
             FileBackedReader reader = (FileBackedReader) engine.openReader(STORE)) {
            for (int i = 0; i < 500; i++) {
                try (LocatedRecords found = reader.locate(0, 100_000, 64 * 1024, 1)) {
                    assertThat(found).isNotNull();
                }
            }
            String chunk = root.resolve("located/chunks/00000000000000000000.dat").toString();
            assertThat(Files.readAllLines(maps)).noneMatch(line -> line.endsWith(chunk));
        }
    }

    @Test
    void findsNothingWhereAReadMustAnswer() throws Exception {
        try (FileStorageEngine engine = engineWithEvents(4, 300);
             FileBackedReader reader = (FileBackedReader) engine.openReader(STORE)) {
            long commit = reader.commitPointer().position();
            assertThat(reader.locate(commit, 100, 1 << 20, 1)).as("at the commit position").isNull();
            assertThat(reader.locate(1, 100, 1 << 20, 1)).as("inside the first record").isNull();
            assertThat(reader.locate(0, 100, 20, 1)).as("a first record larger than maxBytes").isNull();
            assertThat(reader.locate(0, 100, 1 << 20, commit + 1)).as("fewer bytes than asked for").isNull();
            try (LocatedRecords all = reader.locate(0, 1_000_000, 1 << 20, commit)) {
                assertThat(all).isNotNull();
                assertThat(all.count()).isEqualTo(200);
                assertThat(all.next()).isEqualTo(commit);
            }
        }
    }

    @Test
    void aRecordWithADamagedLengthEndsTheRecordsFoundBeforeIt() throws Exception {
        long damagedAt;
        long commit;
        try (FileStorageEngine engine = engineWithEvents(2, 300);
             FileBackedReader reader = (FileBackedReader) engine.openReader(STORE)) {
            EventBatch first = reader.read(0, 30, 1 << 20);
            damagedAt = first.next();
            commit = reader.commitPointer().position();
        }
        try (FileChannel chunk = FileChannel.open(root.resolve("located/chunks/00000000000000000000.dat"),
                StandardOpenOption.WRITE)) {
            chunk.write(ByteBuffer.wrap(new byte[] {0x7f, 0x7f, 0x7f, 0x7f}), damagedAt); // its length field
        }
        try (FileStorageEngine engine = EngineFixture.open(root, EngineOptions.defaults().withChunkSize(256 * 1024));
             FileBackedReader reader = (FileBackedReader) engine.openReader(STORE)) {
            assertThat(reader.commitPointer().position()).isEqualTo(commit);
            try (LocatedRecords found = reader.locate(0, 100_000, 1 << 20, 1)) {
                assertThat(found.next()).isEqualTo(damagedAt);
                assertThat(found.count()).isEqualTo(30);
            }
            assertThat(reader.locate(damagedAt, 100_000, 1 << 20, 1)).isNull();
        }
    }
}
