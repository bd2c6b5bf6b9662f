package io.dataplatform.store.azure;

import com.azure.storage.blob.BlobContainerClient;
import io.dataplatform.rules.StorageLocation;
import io.dataplatform.store.AppendResult;
import io.dataplatform.store.CommitPointerFormat;
import io.dataplatform.store.CorruptLogException;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.Event;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreEngine;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.testing.azurite.Azurite;
import io.dataplatform.testing.azurite.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

import static io.dataplatform.store.azure.BlobFixture.await;
import static io.dataplatform.store.azure.BlobFixture.options;
import static io.dataplatform.store.azure.BlobFixture.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Recovery of stores on blobs when the writer opens them, as docs/storage-format.md (Blobs) says. */
@ExtendWith(AzuriteExtension.class)
class BlobRecoveryTest {

    private static final EngineOptions OPTIONS = EngineOptions.defaults().withChunkSize(4096).withWriterThreads(2);
    private static final StoreId STORE = StoreId.of("ledger");

    private static List<String> write(String location, int count) {
        List<String> written = new ArrayList<>();
        try (StoreEngine engine = AzureStorageProvider.openEngine(location, OPTIONS, options("writer"))) {
            for (int i = 0; i < count; i++) {
                String data = "entry " + i + " " + "z".repeat(i % 40);
                await(engine.append(STORE, List.of(NewEvent.of("s", data))));
                written.add(data);
            }
        }
        return written;
    }

    private static BlobContainerClient container(String location) {
        return Azurite.shared().serviceClient().getBlobContainerClient(StorageLocation.parse(location).container());
    }

    @Test
    void aMissingPointerIsRebuiltFromTheLastChunkAndNothingIsLost() {
        String location = BlobFixture.freshLocation("rebuild");
        List<String> written = write(location, 80);
        container(location).getBlobClient("ledger/" + CommitPointerFormat.NAME).delete();

        try (StoreEngine engine = AzureStorageProvider.openEngine(location, OPTIONS, options("writer"))) {
            AppendResult next = await(engine.append(STORE, List.of(NewEvent.of("s", "after the rebuild"))));
            assertThat(next.version()).isEqualTo(81);
            written.add("after the rebuild");
            try (StoreReader reader = engine.openReader(STORE)) {
                assertThat(readAll(reader, 900)).extracting(Event::dataAsString).containsExactlyElementsOf(written);
            }
        }
    }

    @Test
    void chunksPastThePointerAreDeletedAndAPointerPastItsChunkIsRefused() {
        String location = BlobFixture.freshLocation("past");
        List<String> written = write(location, 20);
        BlobContainerClient container = container(location);
        // a chunk an unfinished commit started past the pointer
        container.getBlobClient("ledger/chunks/00000000000099999999.dat").getAppendBlobClient().create();
        try (StoreEngine engine = AzureStorageProvider.openEngine(location, OPTIONS, options("writer"))) {
            // a reader never reads past the pointer, and reading recovers nothing (it takes no lease)
            try (StoreReader reader = engine.openReader(STORE)) {
                assertThat(readAll(reader, 900)).extracting(Event::dataAsString).containsExactlyElementsOf(written);
            }
            assertThat(container.getBlobClient("ledger/chunks/00000000000099999999.dat").exists()).isTrue();
            // the first write opens the store, recovering it
            await(engine.append(STORE, List.of(NewEvent.of("s", "after the recovery"))));
            written.add("after the recovery");
            try (StoreReader reader = engine.openReader(STORE)) {
                assertThat(readAll(reader, 900)).extracting(Event::dataAsString).containsExactlyElementsOf(written);
            }
        }
        assertThat(container.getBlobClient("ledger/chunks/00000000000099999999.dat").exists()).isFalse();

        // committed bytes missing: the pointer says more than the chunks hold
        byte[] pointer = CommitPointerFormat.initial(new io.dataplatform.store.CommitPointer(1_000_000, 20));
        container.getBlobClient("ledger/" + CommitPointerFormat.NAME).upload(new ByteArrayInputStream(pointer),
                pointer.length, true);
        try (StoreEngine engine = AzureStorageProvider.openEngine(location, OPTIONS, options("writer"))) {
            assertThatThrownBy(() -> await(engine.append(STORE, List.of(NewEvent.of("s", "refused")))))
                    .isInstanceOf(CorruptLogException.class).hasMessageContaining("committed data is missing");
            assertThat(engine.damagedStores()).containsKey(STORE);
        }
    }
}
