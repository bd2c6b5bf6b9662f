package io.dataplatform.store.azure;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreEngine;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.testing.azurite.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.dataplatform.store.azure.BlobFixture.await;
import static io.dataplatform.store.azure.BlobFixture.options;
import static org.assertj.core.api.Assertions.assertThat;

/** Direct readers of blobs: ranged reads with read-ahead over many chunks, commit waits by polling. */
@ExtendWith(AzuriteExtension.class)
class BlobReaderTest {

    private static final StoreId STORE = StoreId.of("metrics");
    private static final int RANGE = 64 * 1024;

    @Test
    void aDirectReaderReadsAManyChunkStoreInRangesWithFlatMemory() {
        String location = BlobFixture.freshLocation("ranges");
        EngineOptions options = EngineOptions.defaults().withChunkSize(256 * 1024).withWriterThreads(2);
        byte[] payload = new byte[1500];
        int events = 0;
        long storeBytes;
        try (StoreEngine engine = AzureStorageProvider.openEngine(location, options, options("writer"))) {
            for (int append = 0; append < 40; append++) {
                List<NewEvent> batch = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    String head = "event " + events++ + " ";
                    byte[] data = payload.clone();
                    System.arraycopy(head.getBytes(StandardCharsets.UTF_8), 0, data, 0, head.length());
                    batch.add(new NewEvent("s" + (i % 7), data));
                }
                await(engine.append(STORE, batch));
            }
            storeBytes = engine.commitPointer(STORE).orElseThrow().position();
            assertThat(engine.stats(STORE).orElseThrow().chunks()).isGreaterThanOrEqualTo(20);
        }
        assertThat(storeBytes).isGreaterThan(90L * RANGE);

        AzureStoreOptions readerOptions = options("reader").withReadRange(RANGE);
        try (StoreReader reader = AzureStorageProvider.openReader(location, STORE, null, readerOptions)) {
            BlobStoreReader blobReader = (BlobStoreReader) reader;
            long position = 0;
            int read = 0;
            long mostBuffered = 0;
            while (true) {
                EventBatch batch = reader.read(position, 1000, 16 * 1024);
                if (batch.isEmpty()) {
                    break;
                }
                for (int i = 0; i < batch.size(); i++) {
                    String data = new String(batch.data(i), 0, 16, StandardCharsets.UTF_8);
                    assertThat(data).startsWith("event " + read + " ");
                    assertThat(batch.version(i)).isEqualTo(read + 1L);
                    read++;
                }
                position = batch.next();
                mostBuffered = Math.max(mostBuffered, blobReader.bufferedBytes());
            }
            assertThat(read).isEqualTo(events);
            assertThat(position).isEqualTo(storeBytes);
            // one range in the window, one read ahead: whatever the store's size
            assertThat(mostBuffered).isLessThanOrEqualTo(2L * RANGE);
        }
    }

    @Test
    void aDirectReaderWaitingForACommitIsWokenByThePollOfThePointerBlob() {
        String location = BlobFixture.freshLocation("waits");
        EngineOptions options = EngineOptions.defaults().withChunkSize(64 * 1024).withWriterThreads(2);
        try (StoreEngine engine = AzureStorageProvider.openEngine(location, options, options("writer"))) {
            AppendResult first = await(engine.append(STORE, List.of(NewEvent.of("s", "first"))));
            try (StoreReader reader = AzureStorageProvider.openReader(location, STORE, null, options("reader"))) {
                CompletableFuture<CommitPointer> wait = reader.commitAfter(first.next(), Duration.ofSeconds(30));
                assertThat(wait).isNotDone();
                AppendResult second = await(engine.append(STORE, List.of(NewEvent.of("s", "second"))));
                CommitPointer woken = await(wait);
                assertThat(woken.position()).isEqualTo(second.next());
                EventBatch batch = reader.read(first.next());
                assertThat(batch.size()).isEqualTo(1);
                assertThat(batch.get(0).dataAsString()).isEqualTo("second");
            }
        }
    }
}
