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
