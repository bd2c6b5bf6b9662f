package io.dataplatform.store.format;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.Storage;
import io.dataplatform.store.StoreException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.UnsupportedFormatException;
import io.dataplatform.store.file.FileStorageEngine;
import io.dataplatform.store.file.StoreFileDamage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The claim of docs/storage-format.md, that a reader written from it alone reads what the engine
 * writes: {@link IndependentFormatReader} and the engine's reader agree event by event.
 */
class IndependentFormatReaderTest {

    private static final StoreId STORE = StoreId.of("spec");
    private static final long SEED = 20261202L;

    @TempDir
    Path root;

    private Path storeDir() {
        return root.resolve(STORE.value());
    }

    /** Random atomic appends of 1 to 5 events (UTF-8 stream ids, 0 to 600 bytes of data) across chunks of 4 KiB. */
    private List<AppendResult> writeRandomStore(int appends) {
        Random random = new Random(SEED);
        List<AppendResult> results = new ArrayList<>();
        try (FileStorageEngine engine = new FileStorageEngine(root, EngineOptions.defaults().withChunkSize(4096))) {
            for (int i = 0; i < appends; i++) {
                List<NewEvent> events = new ArrayList<>();
                int count = 1 + random.nextInt(5);
                for (int e = 0; e < count; e++) {
                    byte[] data = new byte[random.nextInt(601)];
                    random.nextBytes(data);
                    String stream = random.nextInt(4) == 0 ? "flux-\u00e9\u6f22-" + random.nextInt(9) : "s" + random.nextInt(100);
                    events.add(new NewEvent(stream, data));
                }
                results.add(engine.append(STORE, events).join());
            }
        }
        return results;
    }

    /** Asserts that both readers read the same events, field by field, and the same pointer and incarnation. */
    private List<IndependentFormatReader.Record> assertAgree() {
        IndependentFormatReader independent = new IndependentFormatReader(root, STORE.value());
        List<IndependentFormatReader.Record> records = independent.readAll();
        try (StoreReader engine = Storage.openReader(root.toString(), STORE)) {
            CommitPointer pointer = engine.commitPointer();
            assertThat(independent.pointer()).contains(new IndependentFormatReader.Pointer(pointer.position(), pointer.version()));
            assertThat(independent.incarnation()).as("incarnation").isEqualTo(engine.incarnation());
            int index = 0;
            long position = 0;
            while (true) {
                EventBatch batch = engine.read(position, 50, 8192);
                if (batch.isEmpty()) {
                    break;
                }
                for (int i = 0; i < batch.size(); i++, index++) {
                    IndependentFormatReader.Record record = records.get(index);
                    String at = "event " + index + " (seed " + SEED + ")";
                    assertThat(record.position()).as(at).isEqualTo(batch.position(i));
                    assertThat(record.next()).as(at).isEqualTo(batch.next(i));
                    assertThat(record.version()).as(at).isEqualTo(batch.version(i));
                    assertThat(record.timestamp()).as(at).isEqualTo(batch.timestamp(i));
                    assertThat(record.stream()).as(at).isEqualTo(batch.streamId(i));
                    assertThat(record.data()).as(at).isEqualTo(batch.data(i));
                }
                position = batch.next();
            }
            assertThat(index).as("events read by the engine").isEqualTo(records.size());
        }
        return records;
    }

    private Path lastChunk() throws IOException {
        try (Stream<Path> files = Files.list(storeDir().resolve("chunks"))) {
            return files.max(Path::compareTo).orElseThrow();
        }
    }

    @Test
    void bothReadersReadTheSameEventsAcrossManyChunks() throws IOException {
        List<AppendResult> appends = writeRandomStore(400);
        try (Stream<Path> chunks = Files.list(storeDir().resolve("chunks"))) {
            assertThat(chunks.count()).isGreaterThan(20);
        }
        List<IndependentFormatReader.Record> records = assertAgree();
        assertThat(records).hasSize((int) appends.get(appends.size() - 1).version());
        // the commit flag is on the last record of each append, and on no other
        Set<Long> commitEnds = new HashSet<>();
        appends.forEach(a -> commitEnds.add(a.next()));
        for (IndependentFormatReader.Record record : records) {
            assertThat(record.commitFlag()).as("record at " + record.position()).isEqualTo(commitEnds.contains(record.next()));
        }
    }

    @Test
    void bothReadersStopAtThePointerBeforeATornTailAndAgreeAfterRecovery() throws IOException {
        writeRandomStore(60);
        // a crash in the middle of a commit: a whole record without the commit flag, then half of one
        IndependentFormatReader.Pointer pointer = new IndependentFormatReader(root, STORE.value()).pointer().orElseThrow();
        byte[] whole = record(pointer.version() + 1, false, "torn", new byte[40]);
        byte[] half = record(pointer.version() + 2, true, "torn", new byte[40]);
        Files.write(lastChunk(), whole, StandardOpenOption.APPEND);
        Files.write(lastChunk(), java.util.Arrays.copyOf(half, 30), StandardOpenOption.APPEND);
        List<IndependentFormatReader.Record> before = assertAgree();

        // the node cuts the torn tail when it opens the store; both readers still agree
        try (FileStorageEngine engine = new FileStorageEngine(root, EngineOptions.defaults().withChunkSize(4096))) {
            engine.commitPointer(STORE);
        }
        assertThat(assertAgree()).hasSize(before.size());
    }

    @Test
    void completeCommitsPastAPointerThatIsBehindAreReadOnlyOnceTheNodeMovedThePointer() throws IOException {
        writeRandomStore(10);
        IndependentFormatReader.Pointer pointer = new IndependentFormatReader(root, STORE.value()).pointer().orElseThrow();
        // a commit synced after the pointer file last was: past the pointer, readers do not see it
        Files.write(lastChunk(), record(pointer.version() + 1, true, "late", new byte[3]), StandardOpenOption.APPEND);
        assertThat(assertAgree()).hasSize((int) pointer.version());
        try (FileStorageEngine engine = new FileStorageEngine(root, EngineOptions.defaults().withChunkSize(4096))) {
            engine.commitPointer(STORE);
        }
        assertThat(assertAgree()).hasSize((int) pointer.version() + 1);
    }

    @Test
    void preallocatedZerosAfterTheLogAreNotRead() throws IOException {
        try (FileStorageEngine engine = new FileStorageEngine(root, EngineOptions.defaults())) {
            for (int i = 0; i < 100; i++) {
                engine.append(STORE, List.of(NewEvent.of("s", "event-" + i))).join();
            }
            long position = engine.commitPointer(STORE).orElseThrow().position();
            assertThat(Files.size(lastChunk())).isGreaterThan(position); // zeros ahead of the log
            assertThat(assertAgree()).hasSize(100);
        }
    }

    @Test
    void bothReadersRefuseAnUnknownFormatVersionAndReportAMissingPointer() throws IOException {
        writeRandomStore(5);
        StoreFileDamage.setPointerFormatVersion(storeDir(), 2, false);
        assertThatThrownBy(() -> new IndependentFormatReader(root, STORE.value()).pointer())
                .isInstanceOfSatisfying(IndependentFormatReader.FormatRefused.class, e -> assertThat(e.found()).isEqualTo(2));
        try (StoreReader engine = Storage.openReader(root.toString(), STORE)) {
            assertThatThrownBy(engine::commitPointer).isInstanceOfSatisfying(UnsupportedFormatException.class,
                    e -> assertThat(e.foundVersion()).isEqualTo(2));
        }
        Files.delete(storeDir().resolve("commit.chk"));
        assertThat(new IndependentFormatReader(root, STORE.value()).pointer()).isEmpty();
        try (StoreReader engine = Storage.openReader(root.toString(), STORE)) {
            assertThatThrownBy(engine::commitPointer).isInstanceOf(StoreException.class).hasMessageContaining("missing");
        }
    }

    @Test
    void ofTwoValidSlotsWithTheSameVersionBothReadersTakeTheFirst() throws IOException {
        writeRandomStore(5);
        Path pointerFile = storeDir().resolve("commit.chk");
        try (FileChannel file = FileChannel.open(pointerFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer first = ByteBuffer.allocate(32);
            file.read(first, 0);
            ByteBuffer second = ByteBuffer.allocate(32);
            file.read(second, 512);
            // both slots: the same version; the second at an earlier position
            long version = Math.max(first.getLong(16), second.getLong(16));
            long position = Math.max(first.getLong(8), second.getLong(8));
            writeSlot(file, 0, position, version);
            writeSlot(file, 512, position - 1, version);
        }
        IndependentFormatReader.Pointer independent = new IndependentFormatReader(root, STORE.value()).pointer().orElseThrow();
        try (StoreReader engine = Storage.openReader(root.toString(), STORE)) {
            CommitPointer pointer = engine.commitPointer();
            assertThat(independent).isEqualTo(new IndependentFormatReader.Pointer(pointer.position(), pointer.version()));
            assertThat(independent.position()).isEqualTo(Files.size(lastChunk()) + chunkStart(lastChunk()));
        }
    }

    private static long chunkStart(Path chunk) {
        return Long.parseLong(chunk.getFileName().toString().substring(0, 20));
    }

    private static void writeSlot(FileChannel file, int offset, long position, long version) throws IOException {
        ByteBuffer slot = ByteBuffer.allocate(32);
        slot.putInt(0, 0x44504350).putShort(4, (short) 1).putLong(8, position).putLong(16, version);
        CRC32C crc = new CRC32C();
        crc.update(slot.array(), 0, 24);
        slot.putInt(24, (int) crc.getValue());
        file.write(slot, offset);
    }

    /** One record laid out by hand as the page says. */
    private static byte[] record(long version, boolean commitEnd, String stream, byte[] data) {
        byte[] id = stream.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int length = 18 + id.length + data.length;
        ByteBuffer out = ByteBuffer.allocate(8 + length);
        out.putInt(length).putInt(0).putLong(version).putLong(1L).put((byte) (commitEnd ? 1 : 0)).put((byte) id.length)
                .put(id).put(data);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 8, length);
        out.putInt(4, (int) crc.getValue());
        return out.array();
    }
}
