package io.dataplatform.store.azure;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.Event;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreEngine;
import io.dataplatform.store.StoreHeldException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.testing.azurite.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

import static io.dataplatform.store.azure.BlobFixture.await;
import static io.dataplatform.store.azure.BlobFixture.options;
import static io.dataplatform.store.azure.BlobFixture.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Two engines on one container, as two nodes sharing an account: one writer per store at a time. */
@ExtendWith(AzuriteExtension.class)
class BlobLeaseTest {

    private static final EngineOptions OPTIONS = EngineOptions.defaults().withChunkSize(4096).withWriterThreads(2);
    private static final StoreId STORE = StoreId.of("orders");

    @Test
    void aSecondWriterIsRefusedNamingTheStoreAndTheHolderAndTakesOverOnceReleased() {
        String location = BlobFixture.freshLocation("lease");
        StoreEngine first = AzureStorageProvider.openEngine(location, OPTIONS, options("node-one"));
        List<String> acknowledged = new ArrayList<>();
        try (StoreEngine second = AzureStorageProvider.openEngine(location, OPTIONS, options("node-two"))) {
            for (int i = 0; i < 30; i++) {
                await(first.append(STORE, List.of(NewEvent.of("s", "one-" + i))));
                acknowledged.add("one-" + i);
            }
            Throwable refused = catchThrowable(() -> await(second.append(STORE, List.of(NewEvent.of("s", "two-0")))));
            assertThat(refused).isInstanceOf(StoreHeldException.class)
                    .hasMessageContaining("'orders'").hasMessageContaining("node-one");
            assertThat(((StoreHeldException) refused).holder()).isEqualTo("node-one");
            // the first writer goes on meanwhile
            await(first.append(STORE, List.of(NewEvent.of("s", "one-30"))));
            acknowledged.add("one-30");

            first.close();
            AppendResult taken = await(second.append(STORE, List.of(NewEvent.of("s", "two-0"))));
            acknowledged.add("two-0");
            assertThat(taken.version()).isEqualTo(32);
            try (StoreReader reader = second.openReader(STORE)) {
                assertThat(readAll(reader, 500)).extracting(Event::dataAsString).containsExactlyElementsOf(acknowledged);
            }
        } finally {
            first.close();
        }
    }

    /**
     * Reading never claims a store: an engine that only read a store (its pointer, its size, its
     * events, as a node does for every store at startup and for every GET) holds no lease on it,
     * so another engine can write it at once.
     */
    @Test
    void readingAStoreTakesNoLeaseSoAnotherEngineCanWriteIt() {
        String location = BlobFixture.freshLocation("readers");
        try (StoreEngine writer = AzureStorageProvider.openEngine(location, OPTIONS, options("node-one"))) {
            for (int i = 0; i < 5; i++) {
                await(writer.append(STORE, List.of(NewEvent.of("s", "one-" + i))));
            }
        }
        try (StoreEngine reader = AzureStorageProvider.openEngine(location, OPTIONS, options("node-two"));
             StoreEngine next = AzureStorageProvider.openEngine(location, OPTIONS, options("node-three"))) {
            assertThat(reader.commitPointer(STORE)).get().extracting(p -> p.version()).isEqualTo(5L);
            assertThat(reader.stats(STORE)).get().satisfies(stats -> {
                assertThat(stats.lastVersion()).isEqualTo(5);
                assertThat(stats.chunks()).isPositive();
                assertThat(stats.bytes()).isGreaterThanOrEqualTo(stats.commitPosition());
            });
            try (StoreReader events = reader.openReader(STORE)) {
                assertThat(readAll(events, 100)).hasSize(5);
            }
            AppendResult written = await(next.append(STORE, List.of(NewEvent.of("s", "three-0"))));
            assertThat(written.version()).isEqualTo(6);
            // the reading engine now sees the other writer's commit, and its own write is refused
            assertThat(reader.commitPointer(STORE)).get().extracting(p -> p.version()).isEqualTo(6L);
            Throwable refused = catchThrowable(() -> await(reader.append(STORE, List.of(NewEvent.of("s", "two-0")))));
            assertThat(refused).isInstanceOf(StoreHeldException.class).hasMessageContaining("node-three");
        }
    }

    /**
     * A writer that stops renewing (a node that died: its engine is never closed, only its lease
     * renewals stop) loses the store once the lease expires; the next writer recovers it with every
     * acknowledged event once, including bytes the dead writer appended past its pointer.
     */
    @Test
    void aStoreWhoseWriterDiedIsTakenOverOnceItsLeaseExpires() throws Exception {
        String location = BlobFixture.freshLocation("expiry");
        BlobLogSpace deadSpace = new BlobLogSpace(BlobAccount.of(location, options("node-dead")), OPTIONS);
        BlobStoreLog dead = (BlobStoreLog) deadSpace.open(STORE, true);
        List<String> acknowledged = new ArrayList<>();
        java.nio.ByteBuffer records = java.nio.ByteBuffer.allocate(4096);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        for (int i = 1; i <= 3; i++) {
            NewEvent event = NewEvent.of("s", "dead-" + i);
            records.clear();
            io.dataplatform.store.RecordFormat.encode(records, crc, i, 0, true, event.streamIdBytes(), event.dataArray(),
                    event.dataOffset(), event.dataLength());
            records.flip();
            dead.write(records);
            dead.commit(i);
            acknowledged.add("dead-" + i);
        }
        // a commit the dead writer appended but never acknowledged: past the pointer
        NewEvent lost = NewEvent.of("s", "never-acknowledged");
        records.clear();
        io.dataplatform.store.RecordFormat.encode(records, crc, 4, 0, true, lost.streamIdBytes(), lost.dataArray(),
                lost.dataOffset(), lost.dataLength());
        records.flip();
        dead.write(records);
        deadSpace.close(); // the renewals stop, the lease is not released

        try (StoreEngine next = AzureStorageProvider.openEngine(location, OPTIONS, options("node-next"))) {
            assertThatThrownBy(() -> await(next.append(STORE, List.of(NewEvent.of("s", "too-early")))))
                    .isInstanceOf(StoreHeldException.class).hasMessageContaining("node-dead");
            BlobFixture.until(Duration.ofSeconds(40), "the dead writer's lease expires", () -> {
                try {
                    await(next.append(STORE, List.of(NewEvent.of("s", "next-0"))));
                    return true;
                } catch (StoreHeldException | CompletionException e) {
                    return false;
                }
            });
            acknowledged.add("next-0");
            try (StoreReader reader = AzureStorageProvider.openReader(location, STORE, null, options("reader"))) {
                assertThat(readAll(reader, 300)).extracting(Event::dataAsString).containsExactlyElementsOf(acknowledged);
            }
        }
        // the dead writer, were it to wake up, can no longer move the pointer
        assertThatThrownBy(() -> dead.commit(5)).isInstanceOf(io.dataplatform.store.OwnershipLostException.class);
    }

    /**
     * Two writers on one chunk, the first unaware that it lost the store: its next block is refused by
     * the append-position condition (the chunk grew under it), so the two never interleave, and the
     * store holds exactly what the second acknowledged after the first's commits.
     */
    @Test
    void aWriterThatLostTheStoreCannotAppendBetweenTheBlocksOfTheNextOne() throws Exception {
        String location = BlobFixture.freshLocation("interleave");
        BlobLogSpace staleSpace = new BlobLogSpace(BlobAccount.of(location, options("node-stale")), OPTIONS);
        BlobStoreLog stale = (BlobStoreLog) staleSpace.open(STORE, true);
        stale.write(record(1, "stale-1"));
        stale.commit(1);
        staleSpace.close(); // renewals stop; the lease runs out

        try (StoreEngine next = AzureStorageProvider.openEngine(location, OPTIONS, options("node-next"))) {
            BlobFixture.until(Duration.ofSeconds(40), "the stale writer's lease expires", () -> {
                try {
                    await(next.append(STORE, List.of(NewEvent.of("s", "next-1"))));
                    return true;
                } catch (StoreHeldException | CompletionException e) {
                    return false;
                }
            });
            assertThatThrownBy(() -> stale.write(record(2, "stale-2")))
                    .isInstanceOf(io.dataplatform.store.OwnershipLostException.class)
                    .hasMessageContaining("another writer");
            await(next.append(STORE, List.of(NewEvent.of("s", "next-2"))));
            try (StoreReader reader = next.openReader(STORE)) {
                assertThat(readAll(reader, 300)).extracting(Event::dataAsString)
                        .containsExactly("stale-1", "next-1", "next-2");
            }
        }
    }

    private static java.nio.ByteBuffer record(long version, String data) {
        NewEvent event = NewEvent.of("s", data);
        java.nio.ByteBuffer records = java.nio.ByteBuffer.allocate(256);
        io.dataplatform.store.RecordFormat.encode(records, new java.util.zip.CRC32C(), version, 0, true,
                event.streamIdBytes(), event.dataArray(), event.dataOffset(), event.dataLength());
        return records.flip();
    }
}
