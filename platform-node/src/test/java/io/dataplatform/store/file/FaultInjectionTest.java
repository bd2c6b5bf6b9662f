package io.dataplatform.store.file;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CorruptLogException;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.Event;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StagedBatchWriter;
import io.dataplatform.store.StorageFullException;
import io.dataplatform.store.StoreEngine;
import io.dataplatform.store.StoreFailedException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static io.dataplatform.store.file.EngineFixture.await;
import static io.dataplatform.store.file.EngineFixture.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Disk faults injected through the engine's file seam ({@link DiskFaults}), never by changing the
 * code under test: short writes, failing syncs, a full disk, damaged reads.
 */
class FaultInjectionTest {

    private static final StoreId STORE = StoreId.of("faulty");
    private static final StoreId OTHER = StoreId.of("healthy");
    private static final EngineOptions OPTIONS = EngineOptions.defaults().withChunkSize(4096).withWriterThreads(2);

    @TempDir
    Path root;

    private final DiskFaults disk = new DiskFaults();

    private static void append(StoreEngine engine, StoreId store, String data) {
        await(engine.append(store, List.of(NewEvent.of("s", data))));
    }

    private List<String> readBack() {
        try (FileStorageEngine engine = new FileStorageEngine(root, OPTIONS); StoreReader reader = engine.openReader(STORE)) {
            return readAll(reader).stream().map(Event::dataAsString).toList();
        }
    }

    /** The chunk bytes on disk equal the commit pointer's position: nothing partial is left. */
    private void assertNoBytesPastTheCommitPointer(CommitPointer pointer) throws IOException {
        long bytes;
        try (Stream<Path> chunks = Files.list(root.resolve(STORE.value()).resolve(ChunkFiles.DIRECTORY))) {
            bytes = chunks.mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(bytes).as("chunk bytes vs commit pointer").isEqualTo(pointer.position());
    }

    @Test
    void shortWritesAreCompletedAndEveryEventReadsBack() {
        disk.shortWrites(true);
        List<String> written = new ArrayList<>();
        try (StoreEngine engine = disk.openEngine(root, OPTIONS)) {
            List<CompletableFuture<?>> appends = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String data = "event-" + i + "-" + "x".repeat(i % 97);
                written.add(data);
                appends.add(engine.append(STORE, List.of(NewEvent.of("s", data))));
            }
            appends.forEach(EngineFixture::await);
        }
        assertThat(disk.shortenedWrites()).isPositive();
        assertThat(readBack()).containsExactlyInAnyOrderElementsOf(written);
    }

    @Test
    void failedSyncMakesTheStoreRefuseWritesUntilReopened() throws IOException {
        try (StoreEngine engine = disk.openEngine(root, OPTIONS)) {
            append(engine, STORE, "before");
            append(engine, OTHER, "other-before");
            disk.failSyncs(STORE.value() + "/chunks");
            assertThatThrownBy(() -> append(engine, STORE, "lost")).isInstanceOf(StoreFailedException.class)
                    .hasMessageContaining("refuses writes until it is reopened");
            disk.failSyncs(null);
            // the disk answers again, but the page cache is not trusted: still refused
            assertThatThrownBy(() -> append(engine, STORE, "refused")).isInstanceOf(StoreFailedException.class);
            assertThat(engine.failedStores()).containsOnlyKeys(STORE);
            append(engine, OTHER, "other-after");
            CommitPointer pointer = engine.commitPointer(STORE).orElseThrow();
            assertThat(pointer.version()).isEqualTo(1);
            assertNoBytesPastTheCommitPointer(pointer);
            try (StoreReader reader = engine.openReader(STORE)) {
                assertThat(readAll(reader)).extracting(Event::dataAsString).containsExactly("before");
            }
            assertThat(await(engine.reopen(STORE))).isTrue();
            assertThat(engine.failedStores()).isEmpty();
            append(engine, STORE, "after-reopen");
        }
        assertThat(readBack()).containsExactly("before", "after-reopen");
    }

    @Test
    void aBackgroundSyncThatFailsDuringALargeImportFailsItAndTheStoreRefusesWrites() throws IOException {
        EngineOptions options = EngineOptions.defaults().withChunkSize(16 * 1024 * 1024);
        try (StoreEngine engine = disk.openEngine(root, options)) {
            append(engine, STORE, "before");
            CommitPointer before = engine.commitPointer(STORE).orElseThrow();
            String staged = "large.batch";
            try (StagedBatchWriter writer = StagedBatchWriter.create(engine.stagingArea(), staged)) {
                NewEvent event = new NewEvent("s", new byte[1000]);
                // more than the background flusher's interval, so that it syncs while the import goes on
                for (long bytes = 0; bytes < 3 * BackgroundFlusher.INTERVAL_BYTES; bytes += event.recordSize()) {
                    writer.add(event);
                }
            }
            disk.failBackgroundSyncs(true);
            assertThatThrownBy(() -> await(engine.importStaged(STORE, staged))).isInstanceOf(StoreFailedException.class)
                    .hasMessageContaining("in the background");
            disk.failBackgroundSyncs(false);
            assertThat(engine.commitPointer(STORE).orElseThrow()).isEqualTo(before);
            assertThat(engine.failedStores()).containsOnlyKeys(STORE);
            assertNoBytesPastTheCommitPointer(before);
        }
        assertThat(readBack()).containsExactly("before");
    }

    @Test
    void aSyncThatFindsTheDiskFullRefusesWritesLikeAnyFailedSync() throws IOException {
        try (StoreEngine engine = disk.openEngine(root, OPTIONS)) {
            append(engine, STORE, "before");
            disk.syncsFindDiskFull(true);
            // write-back failed: the kernel may have dropped the pages, so this is no mere full disk
            assertThatThrownBy(() -> append(engine, STORE, "lost")).isInstanceOf(StoreFailedException.class)
                    .hasMessageContaining("refuses writes until it is reopened");
            disk.syncsFindDiskFull(false);
            assertThatThrownBy(() -> append(engine, STORE, "refused")).isInstanceOf(StoreFailedException.class);
            assertNoBytesPastTheCommitPointer(engine.commitPointer(STORE).orElseThrow());
        }
        assertThat(readBack()).containsExactly("before");
    }

    @Test
    void aFailedSyncOfTheCommitPointerKeepsTheSyncedCommitAndRefusesLaterWrites() throws IOException {
        String large = "y".repeat(5000);
        try (StoreEngine engine = disk.openEngine(root, OPTIONS)) {
            append(engine, STORE, "first");
            disk.failSyncs(CommitPointerFile.NAME);
            // a commit that starts a new chunk syncs the pointer before it is acknowledged; its
            // records are synced by then, and readers elsewhere may have seen the pointer: it stands
            append(engine, STORE, large);
            disk.failSyncs(null);
            assertThatThrownBy(() -> append(engine, STORE, "refused")).isInstanceOf(StoreFailedException.class)
                    .hasMessageContaining("syncing the commit pointer failed");
            CommitPointer pointer = engine.commitPointer(STORE).orElseThrow();
            assertThat(pointer.version()).isEqualTo(2);
            assertNoBytesPastTheCommitPointer(pointer);
        }
        assertThat(readBack()).containsExactly("first", large);
    }

    @Test
    void anImportQueuedBehindAGroupWhoseSyncFailsIsRefusedToo() throws IOException {
        EngineOptions oneWriter = OPTIONS.withWriterThreads(1);
        String staged = "after.batch";
        try (FileStorageEngine engine = (FileStorageEngine) disk.openEngine(root, oneWriter)) {
            append(engine, STORE, "before");
            try (StagedBatchWriter writer = StagedBatchWriter.create(engine.stagingArea(), staged)) {
                writer.add(NewEvent.of("s", "imported"));
            }
            // the one writer thread waits in the sync of another store while an append and an
            // import queue up: they are committed in one turn, the append first
            disk.holdSyncs(OTHER.value() + "/chunks");
            CompletableFuture<?> other = engine.append(OTHER, List.of(NewEvent.of("s", "other")));
            CompletableFuture<?> lost = engine.append(STORE, List.of(NewEvent.of("s", "lost")));
            CompletableFuture<?> imported = engine.importStaged(STORE, staged);
            // one failed sync: the import's own sync would succeed
            disk.failSyncs(STORE.value() + "/chunks", 1);
            disk.releaseSyncs();
            assertThatThrownBy(() -> await(lost)).isInstanceOf(StoreFailedException.class);
            assertThatThrownBy(() -> await(imported)).isInstanceOf(StoreFailedException.class)
                    .hasMessageContaining("refuses writes until it is reopened");
            disk.failSyncs(null);
            await(other);
            assertNoBytesPastTheCommitPointer(engine.commitPointer(STORE).orElseThrow());
        }
        assertThat(readBack()).containsExactly("before");
    }

    @Test
    void aReaderThatListedAChunkLaterRolledBackStillReadsEverything() throws IOException {
        AtomicReference<StoreEngine> engineRef = new AtomicReference<>();
        AtomicReference<StoreReader> stale = new AtomicReference<>();
        // the reader lists the chunks just as a commit creates one; the commit then finds the disk
        // full, its rollback deletes that chunk, and later appends fill the old chunk past its start
        FileOpener opener = (path, options) -> {
            FileChannel channel = disk.open(path, options);
            if (Set.of(options).contains(StandardOpenOption.CREATE_NEW) && stale.get() == null) {
                stale.set(engineRef.get().openReader(STORE));
                disk.diskFull(true);
            }
            return channel;
        };
        try (StoreEngine engine = new FileStorageEngine(root, OPTIONS, opener)) {
            engineRef.set(engine);
            append(engine, STORE, "a".repeat(3000));
            assertThatThrownBy(() -> await(engine.append(STORE, List.of(NewEvent.of("s", "b".repeat(500)),
                    NewEvent.of("s", "c".repeat(1000)))))).isInstanceOf(StorageFullException.class);
            disk.diskFull(false);
            append(engine, STORE, "d".repeat(700));
            append(engine, STORE, "e".repeat(2000));
            try (StoreReader reader = stale.get()) {
                assertThat(readAll(reader)).extracting(event -> event.dataAsString().charAt(0))
                        .containsExactly('a', 'd', 'e');
            }
        }
    }

    @Test
    void fullDiskFailsTheCommitWithNothingWrittenAndRecoversWhenSpaceReturns() throws IOException {
        try (StoreEngine engine = disk.openEngine(root, OPTIONS)) {
            append(engine, STORE, "before");
            disk.diskFull(true);
            assertThatThrownBy(() -> append(engine, STORE, "small")).isInstanceOf(StorageFullException.class);
            assertThatThrownBy(() -> append(engine, STORE, "z".repeat(6000))).isInstanceOf(StorageFullException.class);
            assertThatThrownBy(() -> append(engine, StoreId.of("brand-new"), "x")).isInstanceOf(StorageFullException.class);
            CommitPointer pointer = engine.commitPointer(STORE).orElseThrow();
            assertThat(pointer.version()).isEqualTo(1);
            assertNoBytesPastTheCommitPointer(pointer);
            assertThat(engine.failedStores()).isEmpty();
            disk.diskFull(false);
            append(engine, STORE, "after");
            append(engine, STORE, "w".repeat(6000));
            assertThat(engine.commitPointer(STORE).orElseThrow().version()).isEqualTo(3);
        }
        assertThat(readBack()).hasSize(3).startsWith("before", "after");
    }

    @Test
    void damagedReadsAreReportedNeverReturnedAsData() {
        try (StoreEngine engine = disk.openEngine(root, OPTIONS)) {
            for (int i = 0; i < 20; i++) {
                append(engine, STORE, "event-" + i);
            }
            disk.damageReads(true);
            try (StoreReader reader = engine.openReader(STORE)) {
                assertThatThrownBy(() -> reader.read(0, 100, 64 * 1024)).isInstanceOf(CorruptLogException.class)
                        .hasMessageContaining("store '" + STORE + "'").hasMessageContaining("chunk ");
            }
            assertThat(disk.damagedReads()).isPositive();
            disk.damageReads(false);
        }
        assertThat(readBack()).hasSize(20);
    }
}
