package io.dataplatform.store.file;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.Durability;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.InvalidInputException;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StagedBatchWriter;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.log.GroupEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.dataplatform.store.file.EngineFixture.append;
import static io.dataplatform.store.file.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImportTest {

    private static final StoreId STORE = StoreId.of("imports");

    @TempDir
    Path root;

    private Path stage(FileStorageEngine engine, String name, int count, int size) throws IOException {
        Path file = engine.stagingArea().root().resolve(name);
        try (StagedBatchWriter writer = StagedBatchWriter.create(file)) {
            for (int i = 0; i < count; i++) {
                byte[] data = new byte[size];
                ByteBuffer.wrap(data).putInt(0, i);
                writer.add(new NewEvent("batch-" + (i % 10), data));
            }
        }
        return file;
    }

    @Test
    void anImportKilledHalfWayLeavesNoneOfItAfterRecovery() throws Exception {
        try (FileStorageEngine engine = new FileStorageEngine(root, EngineOptions.defaults().withChunkSize(64 * 1024))) {
            append(engine, STORE.value(), "s", "kept");
        }
        // what a writer killed in the middle of an import leaves: chunks full of records, no commit flag
        Path storeDir = root.resolve(STORE.value());
        ChunkFiles chunks = new ChunkFiles(STORE.value(), storeDir).refresh();
        long position = Files.size(chunks.path(0));
        GroupEncoder encoder = new GroupEncoder(EngineOptions.defaults());
        try (FileStoreLog log = FileStoreLog.open(STORE, storeDir, 64 * 1024, false, true)) {
            encoder.begin(log);
            for (int i = 0; i < 3000; i++) {
                encoder.put(NewEvent.of("s", "unfinished import " + i), i + 2, 1, false);
            }
            encoder.flush();
            log.sync();
            assertThat(log.chunkCount()).isGreaterThan(1);
        }
        assertThat(first(storeDir)).isGreaterThan(position);
        try (FileStorageEngine engine = new FileStorageEngine(root, EngineOptions.defaults().withChunkSize(64 * 1024));
             StoreReader reader = engine.openReader(STORE)) {
            assertThat(EngineFixture.readAll(reader)).extracting(e -> e.dataAsString()).containsExactly("kept");
            assertThat(engine.stats(STORE).orElseThrow().chunks()).isEqualTo(1);
        }
    }

    private static long first(Path storeDir) throws IOException {
        return Files.size(storeDir.resolve("chunks").resolve(ChunkFiles.fileName(0)));
    }

    @Test
    void theStagingAreaRefusesLocationsThatLeaveIt() throws IOException {
        try (FileStorageEngine engine = new FileStorageEngine(root, EngineFixture.TINY_CHUNKS.withDurability(Durability.NONE))) {
            var staging = engine.stagingArea();
            Files.writeString(root.resolve("secret.txt"), "not for import");
            Files.createDirectories(staging.root().resolve("nested"));
            Files.writeString(staging.root().resolve("nested/ok.batch"), "x");
            Files.createSymbolicLink(staging.root().resolve("link.batch"), root.resolve("secret.txt"));
            Files.createSymbolicLink(staging.root().resolve("linkdir"), root);

            assertThat(staging.path(staging.batch("nested/ok.batch"))).isEqualTo(staging.root().resolve("nested/ok.batch"));
            assertThat(staging.batch("nested/ok.batch").location()).isEqualTo("nested/ok.batch");
            assertThatThrownBy(() -> staging.batch("../secret.txt")).hasMessageContaining("'..'");
            assertThatThrownBy(() -> staging.batch("nested/../../secret.txt")).hasMessageContaining("'..'");
            assertThatThrownBy(() -> staging.batch(root.resolve("secret.txt").toString())).hasMessageContaining("absolute");
            assertThatThrownBy(() -> staging.batch("link.batch")).hasMessageContaining("symbolic link");
            assertThatThrownBy(() -> staging.batch("linkdir/secret.txt")).hasMessageContaining("symbolic link");
            assertThatThrownBy(() -> staging.batch("missing.batch")).hasMessageContaining("no staged file");
            assertThatThrownBy(() -> staging.batch("")).hasMessageContaining("required");
            assertThatThrownBy(() -> staging.batch("a\u0000b")).hasMessageContaining("control characters");
            assertThatThrownBy(() -> staging.batch("nested")).hasMessageContaining("no staged file");
        }
    }

    @Test
    void aRefusedImportIntoANewStoreLeavesNoStoreBehind() throws Exception {
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            Path staged = stage(engine, "bad.batch", 100, 50);
            try (FileChannel file = FileChannel.open(staged, StandardOpenOption.WRITE)) {
                file.truncate(Files.size(staged) - 3);
            }
            assertThatThrownBy(() -> await(engine.importStaged(STORE, staged.getFileName().toString())))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("cut short");
            assertThat(engine.list()).doesNotContain(STORE);
            assertThat(engine.commitPointer(STORE)).isEmpty();
            assertThat(root.resolve(STORE.value())).doesNotExist();
            // the store is created by a write that succeeds, from version 1
            assertThat(append(engine, STORE.value(), "s", "first").version()).isEqualTo(1);
        }
    }

    @Test
    void aCommittedImportRemovesItsStagedFileSoThatAReplayAppendsNothing() throws Exception {
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            Path staged = stage(engine, "once.batch", 10, 20);
            AppendResult imported = await(engine.importStaged(STORE, staged.getFileName().toString()));
            assertThat(imported.count()).isEqualTo(10);
            assertThat(staged).doesNotExist();
            assertThatThrownBy(() -> await(engine.importStaged(STORE, staged.getFileName().toString())))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("no staged file");
            assertThat(engine.commitPointer(STORE).orElseThrow().version()).isEqualTo(10);
        }
    }

    @Test
    void theStagingAreaIsTheDirectoryDotStagingAtTheRootOfTheLocation() {
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            assertThat(engine.stagingArea().root()).isEqualTo(root.toAbsolutePath().normalize().resolve(".staging"));
            assertThat(engine.list()).isEmpty(); // not a store
        }
    }
}
