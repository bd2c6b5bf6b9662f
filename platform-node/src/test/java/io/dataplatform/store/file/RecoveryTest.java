package io.dataplatform.store.file;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CorruptLogException;
import io.dataplatform.store.Event;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.RecordFormat;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.UnsupportedFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

import static io.dataplatform.store.file.EngineFixture.append;
import static io.dataplatform.store.file.EngineFixture.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Crash cases made by hand on the files, then the store opened again. */
class RecoveryTest {

    private static final StoreId STORE = StoreId.of("crashy");

    @TempDir
    Path root;

    private Path storeDir() {
        return root.resolve(STORE.value());
    }

    private Path pointerFile() {
        return storeDir().resolve("commit.chk");
    }

    private Path lastChunk() throws IOException {
        return new ChunkFiles(STORE.value(), storeDir()).refresh().all().lastEntry().getValue();
    }

    /** Writes {@code count} committed events "event-N" and closes the engine. */
    private CommitPointer writeEvents(int count) {
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            for (int i = 1; i <= count; i++) {
                append(engine, STORE.value(), "s", "event-" + i);
            }
            return engine.commitPointer(STORE).orElseThrow();
        }
    }

    private List<String> reopenAndReadAll() {
        try (FileStorageEngine engine = EngineFixture.open(root); StoreReader reader = engine.openReader(STORE)) {
            return readAll(reader).stream().map(Event::dataAsString).toList();
        }
    }

    private static List<String> names(int count) {
        return java.util.stream.IntStream.rangeClosed(1, count).mapToObj(i -> "event-" + i).toList();
    }

    private static byte[] record(long version, boolean commitEnd, String data) {
        NewEvent event = NewEvent.of("s", data);
        ByteBuffer buffer = ByteBuffer.allocate(event.recordSize());
        RecordFormat.encode(buffer, new CRC32C(), version, 1L, commitEnd, event.streamIdBytes(), event.data(), 0,
                event.data().length);
        return buffer.array();
    }

    private static void appendBytes(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.APPEND);
    }

    @Test
    void tornTailIsTruncatedOnOpen() throws IOException {
        CommitPointer pointer = writeEvents(40);
        Path chunk = lastChunk();
        long sizeBefore = Files.size(chunk);
        byte[] torn = record(41, true, "never acknowledged");
        appendBytes(chunk, java.util.Arrays.copyOf(torn, torn.length - 5));

        assertThat(reopenAndReadAll()).isEqualTo(names(40));
        assertThat(Files.size(chunk)).isEqualTo(sizeBefore);
        assertThat(CommitPointerFile.read(pointerFile())).contains(pointer);
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            assertThat(append(engine, STORE.value(), "s", "event-41").version()).isEqualTo(41);
        }
        assertThat(reopenAndReadAll()).isEqualTo(names(41));
    }

    @Test
    void zerosPreallocatedByABusyStoreAreCutWhenItRollsAndAfterACrash() throws IOException {
        long logEnd;
        Path copy = root.resolve("copy");
        try (FileStorageEngine engine = new FileStorageEngine(root,
                io.dataplatform.store.EngineOptions.defaults().withChunkSize(32 * 1024))) {
            for (int i = 1; i <= 3000; i++) {
                append(engine, STORE.value(), "s", "event-" + i);
            }
            ChunkFiles chunks = new ChunkFiles(STORE.value(), storeDir()).refresh();
            assertThat(chunks.count()).isGreaterThan(1);
            logEnd = engine.commitPointer(STORE).orElseThrow().position();
            // the last chunk holds zeros past the log; every earlier chunk ends exactly where the next starts
            assertThat(chunks.lastStart() + Files.size(lastChunk())).isGreaterThan(logEnd);
            for (var chunk : chunks.all().headMap(chunks.lastStart()).entrySet()) {
                assertThat(chunk.getKey() + Files.size(chunk.getValue())).isEqualTo(chunks.nextStart(chunk.getKey()));
            }
            // a crash now: the files as they are on disk, zeros included
            copyTree(storeDir(), copy.resolve(STORE.value()));
        }
        assertThat(reopenAndReadAll()).isEqualTo(names(3000));
        // a clean close cut the zeros too
        assertThat(new ChunkFiles(STORE.value(), storeDir()).refresh().lastStart() + Files.size(lastChunk())).isEqualTo(logEnd);
        try (FileStorageEngine engine = EngineFixture.open(copy); StoreReader reader = engine.openReader(STORE)) {
            assertThat(readAll(reader).stream().map(Event::dataAsString).toList()).isEqualTo(names(3000));
            assertThat(engine.stats(STORE).orElseThrow().bytes()).isEqualTo(logEnd);
        }
    }

    @Test
    void aBusyStoreOfLargeCommitsWritesNoZerosAhead() throws IOException {
        byte[] data = new byte[FileStoreLog.SMALL_COMMIT * 2];
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            for (int i = 1; i <= 100; i++) {
                engine.append(STORE, java.util.List.of(new io.dataplatform.store.NewEvent("s", data))).join();
            }
            long logEnd = engine.commitPointer(STORE).orElseThrow().position();
            // zeros ahead would double the bytes written; the file ends where the log does
            assertThat(lastChunkEnd()).isEqualTo(logEnd);
            for (int i = 1; i <= 200; i++) {
                append(engine, STORE.value(), "s", "event-" + i);
            }
            // small commits again: once their average is small, the busy store preallocates
            assertThat(lastChunkEnd()).isGreaterThan(engine.commitPointer(STORE).orElseThrow().position());
        }
    }

    /** Where the last chunk's file ends, as a log position. */
    private long lastChunkEnd() throws IOException {
        return new ChunkFiles(STORE.value(), storeDir()).refresh().lastStart() + Files.size(lastChunk());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path path : walk.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    @Test
    void garbagePastThePointerIsDiscarded() throws IOException {
        writeEvents(25);
        byte[] garbage = new byte[3000];
        new java.util.Random(5).nextBytes(garbage);
        appendBytes(lastChunk(), garbage);
        assertThat(reopenAndReadAll()).isEqualTo(names(25));
    }

    @Test
    void completeCommitsPastAPointerThatIsBehindAreKeptAndAPartialOneIsNot() throws IOException {
        writeEvents(10);
        // two commits that were synced after the pointer file last was, then half of a third
        appendBytes(lastChunk(), record(11, true, "event-11"));
        appendBytes(lastChunk(), record(12, false, "event-12"));
        appendBytes(lastChunk(), record(13, true, "event-13"));
        appendBytes(lastChunk(), record(14, false, "part of an unfinished commit"));

        assertThat(reopenAndReadAll()).isEqualTo(names(13));
        assertThat(CommitPointerFile.read(pointerFile()).orElseThrow().version()).isEqualTo(13);
    }

    @Test
    void aPointerBehindByManyChunksIsWalkedForward() throws IOException {
        writeEvents(200);
        CommitPointerFile.create(pointerFile(), new CommitPointer(0, 0));
        assertThat(reopenAndReadAll()).isEqualTo(names(200));
    }

    @Test
    void aMissingPointerIsRebuiltFromTheLastChunk() throws IOException {
        CommitPointer pointer = writeEvents(300);
        assertThat(new ChunkFiles(STORE.value(), storeDir()).refresh().count()).isGreaterThanOrEqualTo(3);
        Files.delete(pointerFile());
        assertThat(reopenAndReadAll()).isEqualTo(names(300));
        assertThat(CommitPointerFile.read(pointerFile())).contains(pointer);
    }

    @Test
    void aDamagedPointerIsRebuiltAndAnUnfinishedCommitInTheLastChunkIsDropped() throws IOException {
        writeEvents(120);
        appendBytes(lastChunk(), record(121, false, "unfinished"));
        try (FileChannel file = FileChannel.open(pointerFile(), StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.wrap(new byte[]{1, 2, 3}), 10);
            file.write(ByteBuffer.wrap(new byte[]{1, 2, 3}), CommitPointerFile.SECOND_SLOT + 10);
        }
        assertThat(reopenAndReadAll()).isEqualTo(names(120));
    }

    @Test
    void aTornSlotFallsBackToTheOtherSlot() throws IOException {
        writeEvents(5);
        CommitPointer newest = CommitPointerFile.read(pointerFile()).orElseThrow();
        try (CommitPointerFile file = CommitPointerFile.openForWrite(pointerFile(), true)) {
            file.write(new CommitPointer(newest.position(), newest.version()));
        }
        // damage whichever slot holds the newest write: the other one still holds the same pointer or the one before
        try (FileChannel file = FileChannel.open(pointerFile(), StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.wrap(new byte[]{9, 9, 9, 9}), 12);
        }
        assertThat(CommitPointerFile.read(pointerFile())).isPresent();
        assertThat(reopenAndReadAll()).isEqualTo(names(5));
    }

    @Test
    void aPointerPastTheEndOfTheDataRefusesToOpenRatherThanLoseEvents() throws IOException {
        CommitPointer pointer = writeEvents(10);
        try (FileChannel chunk = FileChannel.open(lastChunk(), StandardOpenOption.WRITE)) {
            chunk.truncate(chunk.size() - 7);
        }
        assertThatThrownBy(this::reopenAndReadAll).isInstanceOf(CorruptLogException.class)
                .hasMessageContaining("past the end of the chunk")
                .hasMessageContaining(STORE.value());
        assertThat(CommitPointerFile.read(pointerFile())).contains(pointer);
    }

    @Test
    void aFlippedBitInACommittedRecordIsReportedWithStoreChunkAndPosition() throws IOException {
        writeEvents(3);
        Path chunk = new ChunkFiles(STORE.value(), storeDir()).refresh().all().firstEntry().getValue();
        long second;
        try (FileStorageEngine engine = EngineFixture.open(root); StoreReader reader = engine.openReader(STORE)) {
            second = reader.read(0).position(1);
        }
        try (FileChannel file = FileChannel.open(chunk, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            file.read(one, second + 30);
            one.put(0, (byte) (one.get(0) ^ 0x10)).rewind();
            file.write(one, second + 30);
        }
        try (FileStorageEngine engine = EngineFixture.open(root); StoreReader reader = engine.openReader(STORE)) {
            assertThat(reader.read(0, 1, 1000).get(0).dataAsString()).isEqualTo("event-1");
            assertThatThrownBy(() -> reader.read(0))
                    .isInstanceOf(CorruptLogException.class)
                    .hasMessageContaining("store 'crashy'")
                    .hasMessageContaining("chunk 00000000000000000000.dat")
                    .hasMessageContaining("position " + second)
                    .hasMessageContaining("checksum mismatch");
            assertThatThrownBy(() -> reader.read(second)).isInstanceOf(CorruptLogException.class)
                    .hasMessageContaining("position " + second);
        }
    }

    @Test
    void aPointerOfAnUnknownFormatVersionIsRefusedNamingTheVersionsAndNothingIsChanged() throws IOException {
        writeEvents(10);
        StoreFileDamage.setPointerFormatVersion(storeDir(), 2, true);
        appendBytes(lastChunk(), record(11, false, "a tail that recovery would cut"));
        var before = StoreFileDamage.snapshot(storeDir());

        assertThatThrownBy(this::reopenAndReadAll).isInstanceOfSatisfying(UnsupportedFormatException.class, e -> {
            assertThat(e.foundVersion()).isEqualTo(2);
            assertThat(e.store()).isEqualTo(STORE.value());
        }).hasMessageContaining("format version 2").hasMessageContaining("reads format version 1")
                .hasMessageContaining("commit.chk");
        try (StoreReader outside = io.dataplatform.store.Storage.openReader(root.toString(), STORE)) {
            assertThatThrownBy(outside::commitPointer).isInstanceOf(UnsupportedFormatException.class)
                    .hasMessageContaining("format version 2");
        }
        assertThat(StoreFileDamage.snapshot(storeDir())).isEqualTo(before);
    }

    @Test
    void oneSlotOfAnUnknownFormatVersionIsEnoughToRefuseTheStore() throws IOException {
        writeEvents(3);
        StoreFileDamage.setPointerFormatVersion(storeDir(), 7, false);
        var before = StoreFileDamage.snapshot(storeDir());
        assertThatThrownBy(this::reopenAndReadAll).isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining("format version 7");
        assertThat(StoreFileDamage.snapshot(storeDir())).isEqualTo(before);
    }

    @Test
    void ofTwoValidSlotsWithTheSameVersionTheFirstWins() throws IOException {
        writeEvents(3);
        CommitPointer kept = CommitPointerFile.read(pointerFile()).orElseThrow();
        // the second slot claims the same version at another position: the slot at offset 0 decides
        try (CommitPointerFile file = CommitPointerFile.openForWrite(pointerFile(), true)) {
            file.write(kept);
            file.write(kept);
        }
        try (FileChannel file = FileChannel.open(pointerFile(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer slot = ByteBuffer.allocate(CommitPointerFile.SLOT_SIZE);
            file.read(slot, CommitPointerFile.SECOND_SLOT);
            slot.putLong(8, kept.position() - 1);
            CRC32C crc = new CRC32C();
            crc.update(slot.array(), 0, 24);
            slot.putInt(24, (int) crc.getValue());
            file.write(slot.rewind(), CommitPointerFile.SECOND_SLOT);
        }
        assertThat(CommitPointerFile.read(pointerFile())).contains(kept);
    }

    @Test
    void aStoreThatCannotBeOpenedIsReportedAsDamagedWhileTheOthersServe() throws IOException {
        StoreId healthy = StoreId.of("healthy");
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            append(engine, healthy.value(), "s", "fine");
        }
        writeEvents(10);
        StoreFileDamage.truncateLastChunk(storeDir(), 7);
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            assertThat(engine.list()).containsExactly(STORE, healthy);
            assertThatThrownBy(() -> engine.commitPointer(STORE)).isInstanceOf(CorruptLogException.class);
            assertThat(engine.damagedStores()).containsOnlyKeys(STORE);
            assertThat(engine.damagedStores().get(STORE)).hasMessageContaining("past the end of the chunk");
            assertThat(engine.failedStores()).isEmpty();
            assertThat(append(engine, healthy.value(), "s", "still fine").version()).isEqualTo(2);
            assertThatThrownBy(() -> EngineFixture.append(engine, STORE.value(), "s", "refused"))
                    .isInstanceOf(CorruptLogException.class);
            try (StoreReader reader = engine.openReader(healthy)) {
                assertThat(readAll(reader)).hasSize(2);
            }
        }
        // deleting the pointer lets the node rebuild it from what the chunks hold: no longer damaged
        Files.delete(pointerFile());
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            assertThat(engine.commitPointer(STORE)).isPresent();
            assertThat(engine.damagedStores()).isEmpty();
        }
    }
}
