package io.dataplatform.store.file;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.Event;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.OwnershipLostException;
import io.dataplatform.store.StagingArea;
import io.dataplatform.store.StoreHeldException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.log.CommitWaitSource;
import io.dataplatform.store.log.LogSpace;
import io.dataplatform.store.log.LogStorageEngine;
import io.dataplatform.store.log.StoreLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static io.dataplatform.store.file.EngineFixture.await;
import static io.dataplatform.store.file.EngineFixture.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the engine does when its storage says another writer holds a store, or that this process
 * lost its hold while writing (a lease, on storage that several nodes share), played on real
 * files: the file space is wrapped so that opening refuses, or a commit finds the hold lost, on
 * demand, as a blob backend's would.
 */
class OwnershipTest {

    private static final StoreId STORE = StoreId.of("held");

    @TempDir
    Path root;

    private final AtomicBoolean heldElsewhere = new AtomicBoolean();
    private final AtomicBoolean loseOnCommit = new AtomicBoolean();
    private final AtomicInteger opens = new AtomicInteger();
    private final AtomicInteger closes = new AtomicInteger();

    private LogStorageEngine open() {
        EngineOptions options = EngineFixture.TINY_CHUNKS;
        return new LogStorageEngine(new LeasedSpace(new FileSpace(root, options, FileOpener.DEFAULT)), options);
    }

    private static AppendResult append(LogStorageEngine engine, String data) {
        return await(engine.append(STORE, List.of(NewEvent.of("s", data))));
    }

    @Test
    void aStoreHeldByAnotherWriterIsRefusedWithoutBeingDamagedAndTakenOnceReleased() {
        try (LogStorageEngine engine = open()) {
            append(engine, "mine");
        }
        heldElsewhere.set(true);
        try (LogStorageEngine engine = open()) {
            assertThatThrownBy(() -> append(engine, "refused")).isInstanceOf(StoreHeldException.class)
                    .hasMessageContaining("'held'").hasMessageContaining("node-b");
            assertThat(engine.damagedStores()).isEmpty();
            assertThat(engine.failedStores()).isEmpty();
            heldElsewhere.set(false);
            AppendResult taken = append(engine, "after release");
            assertThat(taken.version()).isEqualTo(2);
            try (StoreReader reader = engine.openReader(STORE)) {
                assertThat(readAll(reader)).extracting(Event::dataAsString).containsExactly("mine", "after release");
            }
        }
    }

    @Test
    void aCommitThatFindsTheHoldLostFailsAndTheNextWriteOpensTheStoreAgain() {
        try (LogStorageEngine engine = open()) {
            AppendResult first = append(engine, "first");
            int opened = opens.get();
            loseOnCommit.set(true);
            assertThatThrownBy(() -> append(engine, "lost")).isInstanceOf(OwnershipLostException.class)
                    .hasMessageContaining("'held'").hasMessageContaining("not committed");
            assertThat(closes.get()).as("the log no longer held is closed").isEqualTo(1);
            assertThat(engine.failedStores()).isEmpty();
            assertThat(engine.damagedStores()).isEmpty();
            // readers still see the last commit while no log is open
            assertThat(engine.commitPointer(STORE)).contains(new CommitPointer(first.next(), 1));
            loseOnCommit.set(false);
            AppendResult next = append(engine, "next");
            assertThat(opens.get()).as("the next write opened (recovered) the store again").isEqualTo(opened + 1);
            assertThat(next.position()).isEqualTo(first.next());
            assertThat(next.version()).isEqualTo(2);
            try (StoreReader reader = engine.openReader(STORE)) {
                assertThat(readAll(reader)).extracting(Event::dataAsString).containsExactly("first", "next");
            }
        }
    }

    @Test
    void anImportThatFindsTheHoldLostFailsAndLeavesItsBatchAndTheStore() throws IOException {
        try (LogStorageEngine engine = open()) {
            AppendResult first = append(engine, "first");
            try (var writer = io.dataplatform.store.StagedBatchWriter.create(engine.stagingArea(), "lost.batch")) {
                writer.add(NewEvent.of("s", "imported"));
            }
            loseOnCommit.set(true);
            assertThatThrownBy(() -> await(engine.importStaged(STORE, "lost.batch")))
                    .isInstanceOf(OwnershipLostException.class);
            loseOnCommit.set(false);
            assertThat(engine.list()).containsExactly(STORE);
            AppendResult imported = await(engine.importStaged(STORE, "lost.batch"));
            assertThat(imported.position()).isEqualTo(first.next());
            assertThat(imported.version()).isEqualTo(2);
        }
    }

    /** The file space, with a hold on each store that another writer may have or that may be lost. */
    private final class LeasedSpace implements LogSpace {
        private final FileSpace files;

        LeasedSpace(FileSpace files) {
            this.files = files;
        }

        @Override
        public String describe() {
            return files.describe();
        }

        @Override
        public List<StoreId> list() throws IOException {
            return files.list();
        }

        @Override
        public boolean holdsStore(StoreId store) {
            return files.holdsStore(store);
        }

        @Override
        public boolean exists(StoreId store) {
            return files.exists(store);
        }

        @Override
        public StoreLog open(StoreId store, boolean create) throws IOException {
            if (heldElsewhere.get()) {
                throw new StoreHeldException(store.value(), "node-b", null);
            }
            opens.incrementAndGet();
            return new LeasedLog(store, files.open(store, create));
        }

        @Override
        public boolean delete(StoreId store) throws IOException {
            return files.delete(store);
        }

        @Override
        public StoreReader openReader(StoreId store, Supplier<CommitPointer> committed, Supplier<String> incarnation,
                                      CommitWaitSource waits) {
            return files.openReader(store, committed, incarnation, waits);
        }

        @Override
        public StagingArea staging() {
            return files.staging();
        }
    }

    /** A file log whose commit fails with {@link OwnershipLostException} while {@link #loseOnCommit} is set. */
    private final class LeasedLog implements StoreLog {
        private final StoreId store;
        private final StoreLog log;

        LeasedLog(StoreId store, StoreLog log) {
            this.store = store;
            this.log = log;
        }

        @Override
        public CommitPointer commit(long version) throws IOException {
            if (loseOnCommit.get()) {
                throw new OwnershipLostException(store.value(), "lease expired", null);
            }
            return log.commit(version);
        }

        @Override
        public void close() throws IOException {
            closes.incrementAndGet();
            log.close();
        }

        @Override
        public CommitPointer committed() {
            return log.committed();
        }

        @Override
        public String incarnation() {
            return log.incarnation();
        }

        @Override
        public long end() {
            return log.end();
        }

        @Override
        public long chunkFill(long pending) {
            return log.chunkFill(pending);
        }

        @Override
        public long chunkSize() {
            return log.chunkSize();
        }

        @Override
        public boolean rolledInCommit() {
            return log.rolledInCommit();
        }

        @Override
        public void write(ByteBuffer records) throws IOException {
            log.write(records);
        }

        @Override
        public void roll() throws IOException {
            log.roll();
        }

        @Override
        public void sync() throws IOException {
            log.sync();
        }

        @Override
        public void syncPointer() throws IOException {
            log.syncPointer();
        }

        @Override
        public void preallocate() throws IOException {
            log.preallocate();
        }

        @Override
        public void rollback() throws IOException {
            log.rollback();
        }

        @Override
        public long storedBytes() throws IOException {
            return log.storedBytes();
        }

        @Override
        public int chunkCount() {
            return log.chunkCount();
        }

        @Override
        public boolean holdsHandles() {
            return log.holdsHandles();
        }

        @Override
        public void releaseHandles() throws IOException {
            log.releaseHandles();
        }
    }
}
