package io.dataplatform.store.azure;

import com.azure.storage.blob.BlobContainerClient;
import io.dataplatform.store.AppendResult;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CommitPointerFormat;
import io.dataplatform.store.Durability;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.Event;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.RecordFormat;
import io.dataplatform.store.StagedBatchWriter;
import io.dataplatform.store.StagingArea;
import io.dataplatform.store.Storage;
import io.dataplatform.store.StoreEngine;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.file.FileStorageEngine;
import io.dataplatform.testing.azurite.Azurite;
import io.dataplatform.testing.azurite.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static io.dataplatform.store.azure.BlobFixture.await;
import static io.dataplatform.store.azure.BlobFixture.options;
import static io.dataplatform.store.azure.BlobFixture.readAll;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(AzuriteExtension.class)
class BlobEngineTest {

    private static final EngineOptions SMALL_CHUNKS = EngineOptions.defaults().withChunkSize(4096).withWriterThreads(2);
    private static final StoreId STORE = StoreId.of("sales");

    @Test
    void eventsAppendedOnBlobsAreReadBackAcrossChunksAndAfterReopening() {
        String location = BlobFixture.freshLocation("engine");
        List<String> written = new ArrayList<>();
        try (StoreEngine engine = AzureStorageProvider.openEngine(location, SMALL_CHUNKS, options("node-a"))) {
            for (int i = 0; i < 120; i++) {
                String data = "event-" + i + "-" + "x".repeat(i % 50);
                written.add(data);
                await(engine.append(STORE, List.of(NewEvent.of("s" + (i % 3), data))));
            }
            assertThat(engine.stats(STORE).orElseThrow().chunks()).isGreaterThan(1);
            try (StoreReader reader = engine.openReader(STORE)) {
                assertThat(readAll(reader, 1000)).extracting(Event::dataAsString).containsExactlyElementsOf(written);
            }
        }
        try (StoreEngine reopened = AzureStorageProvider.openEngine(location, SMALL_CHUNKS, options("node-a"))) {
            assertThat(reopened.list()).containsExactly(STORE);
            AppendResult next = await(reopened.append(STORE, List.of(NewEvent.of("s", "after reopening"))));
            assertThat(next.version()).isEqualTo(121);
            written.add("after reopening");
            try (StoreReader reader = AzureStorageProvider.openReader(location, STORE, null, options("reader"))) {
                assertThat(readAll(reader, 700)).extracting(Event::dataAsString).containsExactlyElementsOf(written);
                assertThat(reader.commitPointer()).isEqualTo(new CommitPointer(next.next(), 121));
            }
        }
    }

    @Test
    void theAzureBackendIsFoundByItsLocationString() {
        String location = BlobFixture.freshLocation("provider");
        assertThat(Storage.provider(location).name()).isEqualTo("azure");
        try (StoreEngine engine = Storage.openEngine(location, SMALL_CHUNKS.withDurability(Durability.SYNC))) {
            AppendResult result = await(engine.append(STORE, List.of(NewEvent.of("a", "hi"))));
            assertThat(result.version()).isEqualTo(1);
        }
    }

    @Test
    void aStagedBatchIsImportedAsOneCommitAndItsBlobDeleted() throws Exception {
        String location = BlobFixture.freshLocation("import");
        StagingArea staging = Storage.provider(location).openStagingArea(location);
        try (StagedBatchWriter writer = StagedBatchWriter.create(staging, "batches/one.batch")) {
            for (int i = 0; i < 500; i++) {
                writer.add(NewEvent.of("imported", "row " + i));
            }
        }
        try (StoreEngine engine = AzureStorageProvider.openEngine(location, SMALL_CHUNKS, options("node-a"))) {
            await(engine.append(STORE, List.of(NewEvent.of("before", "first"))));
            AppendResult imported = await(engine.importStaged(STORE, "batches/one.batch"));
            assertThat(imported.count()).isEqualTo(500);
            assertThat(imported.version()).isEqualTo(501);
            try (StoreReader reader = engine.openReader(STORE)) {
                List<Event> events = readAll(reader, 64 * 1024);
                assertThat(events).hasSize(501);
                assertThat(events.get(500).dataAsString()).isEqualTo("row 499");
            }
        }
        BlobContainerClient stagingContainer = Azurite.shared().serviceClient()
                .getBlobContainerClient(io.dataplatform.rules.StorageLocation.parse(location).container() + "-staging");
        assertThat(stagingContainer.getBlobClient("batches/one.batch").exists()).isFalse();
    }

    /**
     * The same appends, one commit each, into files and into blobs: the same chunks (names and
     * lengths), the same commit pointer bytes, and records that differ only where the commit time is
     * (its 8 bytes and the CRC over it: the engine stamps each commit with the clock).
     */
    @Test
    void blobChunksHoldTheSameRecordsAsFileChunksApartFromCommitTimes(@TempDir Path root) throws Exception {
        String location = BlobFixture.freshLocation("identical");
        List<List<NewEvent>> appends = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            List<NewEvent> events = new ArrayList<>();
            for (int e = 0; e <= i % 4; e++) {
                events.add(NewEvent.of("stream-" + (i % 5), "payload " + i + "/" + e + " " + "y".repeat(i * 7 % 90)));
            }
            appends.add(events);
        }
        try (FileStorageEngine files = new FileStorageEngine(root, SMALL_CHUNKS);
             StoreEngine blobs = AzureStorageProvider.openEngine(location, SMALL_CHUNKS, options("node-a"))) {
            for (List<NewEvent> append : appends) {
                AppendResult onFiles = await(files.append(STORE, append));
                AppendResult onBlobs = await(blobs.append(STORE, append));
                assertThat(onBlobs.position()).isEqualTo(onFiles.position());
                assertThat(onBlobs.next()).isEqualTo(onFiles.next());
            }
        }
        Map<String, byte[]> fileChunks = new TreeMap<>();
        try (Stream<Path> chunks = Files.list(root.resolve("sales/chunks"))) {
            for (Path chunk : chunks.toList()) {
                fileChunks.put(chunk.getFileName().toString(), Files.readAllBytes(chunk));
            }
        }
        BlobContainerClient container = Azurite.shared().serviceClient()
                .getBlobContainerClient(io.dataplatform.rules.StorageLocation.parse(location).container());
        Map<String, byte[]> blobChunks = new TreeMap<>();
        container.listBlobs().forEach(item -> {
            if (item.getName().startsWith("sales/chunks/")) {
                blobChunks.put(item.getName().substring("sales/chunks/".length()), download(container, item.getName()));
            }
        });
        assertThat(blobChunks.keySet()).hasSizeGreaterThan(2).isEqualTo(fileChunks.keySet());
        CRC32C crc = new CRC32C();
        for (String name : fileChunks.keySet()) {
            byte[] fromFile = fileChunks.get(name);
            byte[] fromBlob = blobChunks.get(name);
            assertThat(fromBlob).as(name).hasSameSizeAs(fromFile);
            ByteBuffer file = ByteBuffer.wrap(fromFile);
            ByteBuffer blob = ByteBuffer.wrap(fromBlob);
            for (int at = 0; at < fromFile.length; at += RecordFormat.PREFIX_SIZE + RecordFormat.length(file, at)) {
                assertThat(RecordFormat.verify(crc, blob, at)).as("blob record at %d of %s", at, name).isNull();
                byte[] fileRecord = masked(fromFile, at, RecordFormat.PREFIX_SIZE + RecordFormat.length(file, at));
                byte[] blobRecord = masked(fromBlob, at, RecordFormat.PREFIX_SIZE + RecordFormat.length(blob, at));
                assertThat(blobRecord).as("record at %d of %s", at, name).isEqualTo(fileRecord);
            }
        }
        assertThat(download(container, "sales/" + CommitPointerFormat.NAME))
                .isEqualTo(Files.readAllBytes(root.resolve("sales/commit.chk")));
    }

    /** A record's bytes with its CRC (4 bytes at 4) and timestamp (8 bytes at 16) zeroed. */
    private static byte[] masked(byte[] chunk, int at, int size) {
        byte[] record = java.util.Arrays.copyOfRange(chunk, at, at + size);
        java.util.Arrays.fill(record, 4, 8, (byte) 0);
        java.util.Arrays.fill(record, 16, 24, (byte) 0);
        return record;
    }

    private static byte[] download(BlobContainerClient container, String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        container.getBlobClient(name).downloadStream(out);
        return out.toByteArray();
    }
}
