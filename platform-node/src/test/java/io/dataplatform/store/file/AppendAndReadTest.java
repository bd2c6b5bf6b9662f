package io.dataplatform.store.file;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.Event;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.InvalidInputException;
import io.dataplatform.store.InvalidPositionException;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.QueueFullException;
import io.dataplatform.store.Storage;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.StoreReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.dataplatform.store.file.EngineFixture.append;
import static io.dataplatform.store.file.EngineFixture.await;
import static io.dataplatform.store.file.EngineFixture.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppendAndReadTest {

    @TempDir
    Path root;

    @Test
    void firstAppendCreatesTheStoreAndReturnsPositionsAndVersions() {
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            AppendResult first = append(engine, "sales", "order-1", "created");
            AppendResult second = append(engine, "sales", "order-1", "paid");
            assertThat(first.position()).isZero();
            assertThat(first.version()).isEqualTo(1);
            assertThat(first.durable()).isTrue();
            assertThat(second.position()).isEqualTo(first.next());
            assertThat(second.version()).isEqualTo(2);
            assertThat(engine.list()).containsExactly(StoreId.of("sales"));
            assertThat(Files.isRegularFile(root.resolve("sales/commit.chk"))).isTrue();
            assertThat(Files.isRegularFile(root.resolve("sales/chunks/00000000000000000000.dat"))).isTrue();

            try (StoreReader reader = engine.openReader(StoreId.of("sales"))) {
                List<Event> events = readAll(reader);
                assertThat(events).extracting(Event::dataAsString).containsExactly("created", "paid");
                assertThat(events).extracting(Event::streamId).containsOnly("order-1");
                assertThat(events.get(1).position()).isEqualTo(second.position());
                assertThat(events.get(1).next()).isEqualTo(second.next());
                assertThat(reader.commitPointer()).isEqualTo(new CommitPointer(second.next(), 2));
            }
        }
    }

    @Test
    void aBatchAppendIsAtomicAndContiguous() {
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            List<NewEvent> events = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                events.add(NewEvent.of("s-" + (i % 7), "event " + i));
            }
            AppendResult result = await(engine.append(StoreId.of("batch"), events));
            assertThat(result.count()).isEqualTo(500);
            assertThat(result.version()).isEqualTo(500);
            try (StoreReader reader = engine.openReader(StoreId.of("batch"))) {
                List<Event> read = readAll(reader);
                assertThat(read).hasSize(500);
                for (int i = 0; i < 500; i++) {
                    assertThat(read.get(i).version()).isEqualTo(i + 1);
                    assertThat(read.get(i).dataAsString()).isEqualTo("event " + i);
                }
                assertThat(read.get(499).next()).isEqualTo(result.next());
            }
        }
    }

    @Test
    void aReaderStopsAtTheCommitPointerReadWhenTheReadStarts() {
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            append(engine, "tail", "s", "one");
            try (StoreReader reader = engine.openReader(StoreId.of("tail"))) {
                EventBatch batch = reader.read(0);
                assertThat(batch.size()).isEqualTo(1);
                long next = batch.next();
                assertThat(reader.read(next).isEmpty()).isTrue();
                append(engine, "tail", "s", "two");
                EventBatch later = reader.read(next);
                assertThat(later.size()).isEqualTo(1);
                assertThat(later.get(0).dataAsString()).isEqualTo("two");
            }
        }
    }

    @Test
    void positionsThatAreNegativePastTheCommitOrInsideARecordAreRefused() {
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            AppendResult first = append(engine, "pos", "stream", "0123456789");
            append(engine, "pos", "stream", "abcdefghij");
            try (StoreReader reader = engine.openReader(StoreId.of("pos"))) {
                assertThatThrownBy(() -> reader.read(-1)).isInstanceOf(InvalidPositionException.class)
                        .hasMessageContaining("negative");
                assertThatThrownBy(() -> reader.read(1_000_000)).isInstanceOf(InvalidPositionException.class)
                        .hasMessageContaining("past the commit pointer");
                for (long inside = 1; inside < first.next(); inside++) {
                    long at = inside;
                    assertThatThrownBy(() -> reader.read(at)).isInstanceOf(InvalidPositionException.class)
                            .hasMessageContaining("not on a record boundary");
                }
                assertThat(reader.read(first.next()).get(0).dataAsString()).isEqualTo("abcdefghij");
            }
        }
    }

    @Test
    void badInputIsRefusedWithTheRuleAndWritesNothing() {
        try (FileStorageEngine engine = EngineFixture.open(root, EngineFixture.TINY_CHUNKS.withMaxEventSize(100))) {
            StoreId store = StoreId.of("limits");
            assertThatThrownBy(() -> await(engine.append(store, List.of(new NewEvent("s", new byte[101])))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("over the limit of 100");
            assertThatThrownBy(() -> await(engine.append(store, List.of())))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("at least one event");
            assertThatThrownBy(() -> NewEvent.of("x".repeat(256), "d"))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("1 to 255 bytes");
            assertThatThrownBy(() -> NewEvent.of("", "d"))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("empty");
            assertThat(NewEvent.of("é".repeat(127), "d").streamIdBytes()).hasSize(254);
            assertThat(engine.list()).isEmpty();
            assertThatThrownBy(() -> engine.openReader(store)).isInstanceOf(StoreNotFoundException.class);
        }
    }

    @Test
    void aFullQueueRefusesAppendsWithoutLosingAcknowledgedOnes() {
        var options = EngineFixture.TINY_CHUNKS.withMaxEventSize(1000).withMaxQueuedBytes(8 * 1024).withWriterThreads(1);
        try (FileStorageEngine engine = EngineFixture.open(root, options)) {
            StoreId store = StoreId.of("pressure");
            List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                futures.add(engine.append(store, List.of(new NewEvent("s", new byte[900]))));
            }
            int acknowledged = 0;
            int refused = 0;
            for (CompletableFuture<AppendResult> future : futures) {
                try {
                    future.join();
                    acknowledged++;
                } catch (java.util.concurrent.CompletionException e) {
                    assertThat(e.getCause()).isInstanceOf(QueueFullException.class)
                            .hasMessageContaining("retry later");
                    refused++;
                }
            }
            assertThat(refused).isPositive();
            try (StoreReader reader = engine.openReader(store)) {
                assertThat(readAll(reader)).hasSize(acknowledged);
            }
        }
    }

    @Test
    void deletingAStoreLeavesTheOthersAndTheNextAppendStartsAfresh() {
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            append(engine, "keep", "s", "kept");
            append(engine, "drop", "s", "dropped");
            assertThat(await(engine.delete(StoreId.of("drop")))).isTrue();
            assertThat(await(engine.delete(StoreId.of("never")))).isFalse();
            assertThat(engine.list()).containsExactly(StoreId.of("keep"));
            assertThat(Files.exists(root.resolve("drop"))).isFalse();
            AppendResult again = append(engine, "drop", "s", "again");
            assertThat(again.version()).isEqualTo(1);
            assertThat(again.position()).isZero();
            try (StoreReader reader = engine.openReader(StoreId.of("keep"))) {
                assertThat(readAll(reader)).extracting(Event::dataAsString).containsExactly("kept");
            }
        }
    }

    @Test
    void statsReportBytesChunksVersionAndCommitPosition() {
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            AppendResult last = null;
            for (int i = 0; i < 100; i++) {
                last = append(engine, "stats", "s", "x".repeat(100));
            }
            var stats = engine.stats(StoreId.of("stats")).orElseThrow();
            assertThat(stats.lastVersion()).isEqualTo(100);
            assertThat(stats.commitPosition()).isEqualTo(last.next());
            // files may hold preallocated space past the log of a busy store
            assertThat(stats.bytes()).isBetween(last.next(), last.next() + FileStoreLog.PREALLOCATION);
            assertThat(stats.chunks()).isGreaterThan(2);
            assertThat(engine.stats(StoreId.of("nothing"))).isEmpty();
        }
    }

    @Test
    void aReaderOpenedFromTheLocationStringSeesWhatTheEngineCommitted() {
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            append(engine, "direct", "s", "hello");
            try (StoreReader reader = Storage.openReader(root.toString(), StoreId.of("direct"))) {
                assertThat(readAll(reader)).extracting(Event::dataAsString).containsExactly("hello");
            }
        }
        assertThatThrownBy(() -> Storage.openReader(root.toString(), StoreId.of("absent")))
                .isInstanceOf(StoreNotFoundException.class);
    }
}
