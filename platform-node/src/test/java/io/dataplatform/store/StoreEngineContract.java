package io.dataplatform.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every storage backend's engine does, whatever its storage: one subclass per backend hands
 * the contract a factory of fresh locations ({@link EngineLocations}). Appends and reads, atomic
 * batches and imports, back-pressure and bad input, deletes, stats, incarnations, reopening,
 * commit listeners, and many writers at once. What is particular to one backend (file names, disk
 * faults, crashes) is tested beside the backend.
 */
public abstract class StoreEngineContract {

    /** Small chunks, so that every test crosses chunk boundaries. */
    protected static final EngineOptions TINY_CHUNKS = EngineOptions.defaults().withChunkSize(4096).withWriterThreads(4);

    private final EngineLocations locations;
    /** The location of the running test. */
    protected EngineLocations.Location location;

    protected StoreEngineContract(EngineLocations locations) {
        this.locations = locations;
    }

    @BeforeEach
    void createLocation() throws Exception {
        location = locations.create();
    }

    @AfterEach
    void removeLocation() throws Exception {
        location.close();
    }

    /** The options of the engines the tests open (small chunks, durable); a backend may change them. */
    protected EngineOptions options() {
        return TINY_CHUNKS;
    }

    protected StoreEngine open() {
        return location.open(options());
    }

    protected StoreEngine open(EngineOptions options) {
        return location.open(options);
    }

    protected static AppendResult append(StoreEngine engine, String store, String stream, String data) {
        return await(engine.append(StoreId.of(store), List.of(NewEvent.of(stream, data))));
    }

    protected static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new AssertionError(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Every committed event of a store, from position 0, read in small batches. */
    protected static List<Event> readAll(StoreReader reader) {
        List<Event> events = new ArrayList<>();
        long position = 0;
        while (true) {
            EventBatch batch = reader.read(position, 7, 1000);
            if (batch.isEmpty()) {
                return events;
            }
            batch.forEach(events::add);
            position = batch.next();
        }
    }

    private static List<String> data(StoreReader reader) {
        return readAll(reader).stream().map(Event::dataAsString).toList();
    }

    /** The bytes of a staged batch of {@code count} events of {@code size} bytes, event i's data starting with i. */
    protected static byte[] batchBytes(int count, int size) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (StagedBatchWriter writer = StagedBatchWriter.create(new StagingArea() {
            @Override
            public String describe() {
                return "memory";
            }

            @Override
            public StagedBatch batch(String location) {
                throw new UnsupportedOperationException();
            }

            @Override
            public WritableByteChannel create(String location) {
                return Channels.newChannel(bytes);
            }

            @Override
            public boolean delete(String location) {
                return false;
            }

            @Override
            public boolean contains(StagedBatch batch) {
                return false;
            }
        }, "memory")) {
            for (int i = 0; i < count; i++) {
                byte[] data = new byte[size];
                ByteBuffer.wrap(data).putInt(0, i);
                writer.add(new NewEvent("batch-" + (i % 10), data));
            }
        }
        return bytes.toByteArray();
    }

    /** Stages {@code bytes} as the batch {@code name} in the engine's staging area. */
    protected static void stage(StoreEngine engine, String name, byte[] bytes) throws IOException {
        try (WritableByteChannel out = engine.stagingArea().create(name)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        }
    }

    @Test
    void theFirstAppendCreatesTheStoreAndReturnsPositionsAndVersions() {
        try (StoreEngine engine = open()) {
            AppendResult first = append(engine, "sales", "order-1", "created");
            AppendResult second = append(engine, "sales", "order-1", "paid");
            assertThat(first.position()).isZero();
            assertThat(first.version()).isEqualTo(1);
            assertThat(first.durable()).isTrue();
            assertThat(second.position()).isEqualTo(first.next());
            assertThat(second.version()).isEqualTo(2);
            assertThat(engine.list()).containsExactly(StoreId.of("sales"));
            assertThat(engine.commitPointer(StoreId.of("sales"))).contains(new CommitPointer(second.next(), 2));
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
    void aBatchAppendIsAtomicAndContiguousAcrossChunks() {
        try (StoreEngine engine = open()) {
            List<NewEvent> events = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                events.add(NewEvent.of("s-" + (i % 7), "event " + i));
            }
            AppendResult result = await(engine.append(StoreId.of("batch"), events));
            assertThat(result.count()).isEqualTo(500);
            assertThat(result.version()).isEqualTo(500);
            assertThat(engine.stats(StoreId.of("batch")).orElseThrow().chunks()).isGreaterThan(1);
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
        try (StoreEngine engine = open()) {
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
        try (StoreEngine engine = open()) {
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
        try (StoreEngine engine = open(options().withMaxEventSize(100))) {
            StoreId store = StoreId.of("limits");
            assertThatThrownBy(() -> await(engine.append(store, List.of(new NewEvent("s", new byte[101])))))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("over the limit of 100");
            assertThatThrownBy(() -> await(engine.append(store, List.of())))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("at least one event");
            assertThat(engine.list()).isEmpty();
            assertThat(engine.commitPointer(store)).isEmpty();
            assertThat(engine.stats(store)).isEmpty();
            assertThatThrownBy(() -> engine.openReader(store)).isInstanceOf(StoreNotFoundException.class);
        }
    }

    @Test
    void aFullQueueRefusesAppendsWithoutLosingAcknowledgedOnes() {
        EngineOptions small = options().withMaxEventSize(1000).withMaxQueuedBytes(8 * 1024).withWriterThreads(1);
        try (StoreEngine engine = open(small)) {
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
                } catch (CompletionException e) {
                    assertThat(e.getCause()).isInstanceOf(QueueFullException.class).hasMessageContaining("retry later");
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
        try (StoreEngine engine = open()) {
            append(engine, "keep", "s", "kept");
            append(engine, "drop", "s", "dropped");
            assertThat(await(engine.delete(StoreId.of("drop")))).isTrue();
            assertThat(await(engine.delete(StoreId.of("never")))).isFalse();
            assertThat(engine.list()).containsExactly(StoreId.of("keep"));
            assertThat(engine.commitPointer(StoreId.of("drop"))).isEmpty();
            AppendResult again = append(engine, "drop", "s", "again");
            assertThat(again.version()).isEqualTo(1);
            assertThat(again.position()).isZero();
            try (StoreReader reader = engine.openReader(StoreId.of("keep"))) {
                assertThat(data(reader)).containsExactly("kept");
            }
        }
        try (StoreEngine engine = open(); StoreReader reader = engine.openReader(StoreId.of("drop"))) {
            assertThat(data(reader)).containsExactly("again");
        }
    }

    @Test
    void statsReportBytesChunksVersionCommitPositionAndIncarnation() {
        try (StoreEngine engine = open()) {
            AppendResult last = null;
            for (int i = 0; i < 100; i++) {
                last = append(engine, "stats", "s", "x".repeat(100));
            }
            StoreStats stats = engine.stats(StoreId.of("stats")).orElseThrow();
            assertThat(stats.store()).isEqualTo(StoreId.of("stats"));
            assertThat(stats.lastVersion()).isEqualTo(100);
            assertThat(stats.commitPosition()).isEqualTo(last.next());
            assertThat(stats.bytes()).isGreaterThanOrEqualTo(last.next());
            assertThat(stats.chunks()).isGreaterThan(2);
            assertThat(stats.incarnation()).matches("[0-9a-f]{32}");
            assertThat(engine.stats(StoreId.of("nothing"))).isEmpty();
        }
    }

    @Test
    void committedEventsOutliveTheEngineAndTheNextOneGoesOnFromThem() {
        AppendResult before;
        try (StoreEngine engine = open()) {
            for (int i = 0; i < 50; i++) {
                append(engine, "lasting", "s", "event " + i);
            }
            before = append(engine, "lasting", "s", "last before");
        }
        try (StoreEngine engine = open()) {
            assertThat(engine.list()).containsExactly(StoreId.of("lasting"));
            assertThat(engine.commitPointer(StoreId.of("lasting"))).contains(new CommitPointer(before.next(), 51));
            AppendResult after = append(engine, "lasting", "s", "first after");
            assertThat(after.position()).isEqualTo(before.next());
            assertThat(after.version()).isEqualTo(52);
            try (StoreReader reader = engine.openReader(StoreId.of("lasting"))) {
                List<String> read = data(reader);
                assertThat(read).hasSize(52);
                assertThat(read.subList(50, 52)).containsExactly("last before", "first after");
            }
        }
    }

    @Test
    void randomEventsCrossingChunkBoundariesReadBackExactly() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        List<NewEvent> written = new ArrayList<>();
        try (StoreEngine engine = open()) {
            StoreId store = StoreId.of("random");
            for (int append = 0; append < 60; append++) {
                List<NewEvent> events = new ArrayList<>();
                for (int i = random.nextInt(5); i >= 0; i--) {
                    byte[] data = new byte[random.nextInt(3000)];
                    random.nextBytes(data);
                    events.add(new NewEvent("stream-" + random.nextInt(4), data));
                }
                await(engine.append(store, events));
                written.addAll(events);
            }
            try (StoreReader reader = engine.openReader(store)) {
                List<Event> read = readAll(reader);
                assertThat(read).as("seed %d", seed).hasSize(written.size());
                for (int i = 0; i < read.size(); i++) {
                    NewEvent expected = written.get(i);
                    assertThat(read.get(i).streamId()).as("seed %d, event %d", seed, i).isEqualTo(expected.streamId());
                    assertThat(Arrays.equals(read.get(i).data(), Arrays.copyOfRange(expected.dataArray(),
                            expected.dataOffset(), expected.dataOffset() + expected.dataLength())))
                            .as("seed %d, data of event %d", seed, i).isTrue();
                }
            }
        }
    }

    @Test
    void aStoreKeepsItsIncarnationAcrossOpensAndADeletedAndRecreatedStoreGetsANewOne() {
        StoreId store = StoreId.of("lives");
        String first;
        try (StoreEngine engine = open()) {
            append(engine, store.value(), "s", "old life");
            try (StoreReader reader = engine.openReader(store)) {
                first = reader.incarnation();
            }
            assertThat(first).matches("[0-9a-f]{32}");
            assertThat(engine.stats(store).orElseThrow().incarnation()).isEqualTo(first);
        }
        try (StoreEngine engine = open()) {
            try (StoreReader reader = engine.openReader(store, first)) {
                assertThat(reader.incarnation()).isEqualTo(first);
            }
            assertThat(await(engine.delete(store))).isTrue();
            append(engine, store.value(), "s", "new life");
            String now = engine.stats(store).orElseThrow().incarnation();
            assertThat(now).isNotEqualTo(first).matches("[0-9a-f]{32}");
            assertThatThrownBy(() -> engine.openReader(store, first))
                    .isInstanceOfSatisfying(StoreRecreatedException.class, e -> {
                        assertThat(e.expected()).isEqualTo(first);
                        assertThat(e.actual()).isEqualTo(now);
                    });
            try (StoreReader reader = engine.openReader(store, now)) {
                assertThat(data(reader)).containsExactly("new life");
            }
        }
    }

    @Test
    void commitListenersAreToldOfEachCommitBeforeItsAppendCompletes() throws Exception {
        try (StoreEngine engine = open()) {
            List<CommitListener.Commit> told = new CopyOnWriteArrayList<>();
            AutoCloseable registration = engine.addCommitListener(told::add);
            AppendResult first = await(engine.append(StoreId.of("told"), List.of(NewEvent.of("s", "a"),
                    NewEvent.of("s", "b"))));
            assertThat(told).hasSize(1);
            assertThat(told.get(0).store()).isEqualTo(StoreId.of("told"));
            assertThat(told.get(0).pointer()).isEqualTo(new CommitPointer(first.next(), 2));
            assertThat(told.get(0).events()).isEqualTo(2);
            registration.close();
            append(engine, "told", "s", "c");
            assertThat(told).hasSize(1);
        }
    }

    @Test
    void reopeningAStoreKeepsWhatItCommitted() {
        try (StoreEngine engine = open()) {
            AppendResult before = append(engine, "again", "s", "before");
            assertThat(await(engine.reopen(StoreId.of("again")))).isTrue();
            assertThat(await(engine.reopen(StoreId.of("absent")))).isFalse();
            AppendResult after = append(engine, "again", "s", "after");
            assertThat(after.position()).isEqualTo(before.next());
            assertThat(engine.failedStores()).isEmpty();
            assertThat(engine.damagedStores()).isEmpty();
            try (StoreReader reader = engine.openReader(StoreId.of("again"))) {
                assertThat(data(reader)).containsExactly("before", "after");
            }
        }
    }

    @Test
    void aClosedEngineRefusesAppends() {
        StoreEngine engine = open();
        append(engine, "closing", "s", "x");
        engine.close();
        assertThatThrownBy(() -> await(engine.append(StoreId.of("closing"), List.of(NewEvent.of("s", "y")))))
                .isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> await(engine.importStaged(StoreId.of("closing"), "anything.batch")))
                .isInstanceOf(StoreClosedException.class);
    }

    @Test
    void everyAcknowledgedEventIsReadBackExactlyOnceInOrderWhileReadersTail() throws Exception {
        StoreId store = StoreId.of("busy");
        int writers = 16;
        int appendsPerWriter = 60;
        Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(writers + 2);
        try (StoreEngine engine = open()) {
            append(engine, store.value(), "first", "first");
            acknowledged.put(1L, "first");
            List<Future<?>> writerTasks = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                writerTasks.add(threads.submit(() -> {
                    for (int a = 0; a < appendsPerWriter; a++) {
                        int size = 1 + (a % 3);
                        List<NewEvent> events = new ArrayList<>();
                        for (int i = 0; i < size; i++) {
                            events.add(NewEvent.of("writer-" + writer, writer + "/" + a + "/" + i));
                        }
                        AppendResult result = await(engine.append(store, events));
                        for (int i = 0; i < size; i++) {
                            acknowledged.put(result.version() - size + 1 + i, writer + "/" + a + "/" + i);
                        }
                    }
                    return null;
                }));
            }
            // tailing readers run while the writers write: each must see a gapless, ordered log
            List<Future<Long>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(threads.submit(() -> {
                    long seen = 0;
                    long position = 0;
                    try (StoreReader reader = engine.openReader(store)) {
                        while (writing.get() || position < reader.commitPointer().position()) {
                            EventBatch batch = reader.read(position, 100, 8192);
                            for (int i = 0; i < batch.size(); i++) {
                                assertThat(batch.version(i)).isEqualTo(seen + 1);
                                seen++;
                            }
                            position = batch.next();
                        }
                    }
                    return seen;
                }));
            }
            for (Future<?> task : writerTasks) {
                task.get(300, TimeUnit.SECONDS);
            }
            writing.set(false);
            for (Future<Long> reader : readers) {
                assertThat(reader.get(120, TimeUnit.SECONDS)).isEqualTo(acknowledged.size());
            }
            try (StoreReader reader = engine.openReader(store)) {
                List<Event> read = readAll(reader);
                assertThat(read).hasSize(acknowledged.size());
                for (int v = 0; v < read.size(); v++) {
                    assertThat(read.get(v).version()).isEqualTo(v + 1);
                    assertThat(read.get(v).dataAsString()).isEqualTo(acknowledged.get(v + 1L));
                }
                // each writer's appends appear in the order it made them
                for (int w = 0; w < writers; w++) {
                    String prefix = w + "/";
                    List<String> mine = read.stream().map(Event::dataAsString).filter(s -> s.startsWith(prefix)).toList();
                    List<String> expected = new ArrayList<>();
                    for (int a = 0; a < appendsPerWriter; a++) {
                        for (int i = 0; i < 1 + (a % 3); i++) {
                            expected.add(w + "/" + a + "/" + i);
                        }
                    }
                    assertThat(mine).isEqualTo(expected);
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    // imports of staged batches

    @Test
    void aLargeImportBecomesVisibleAllAtOnceAndConsumesItsBatch() throws Exception {
        int count = 20_000;
        StoreId store = StoreId.of("imports");
        try (StoreEngine engine = open()) {
            append(engine, store.value(), "before", "first");
            stage(engine, "big.batch", batchBytes(count, 100));
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> partial = new AtomicReference<>();
            // a reader polls while the import runs: it sees one event, then all of them, never a part
            CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
                try (StoreReader reader = engine.openReader(store)) {
                    while (!done.get()) {
                        long version = reader.commitPointer().version();
                        if (version != 1 && version != count + 1) {
                            partial.set(new AssertionError("saw version " + version));
                        }
                    }
                }
            });
            AppendResult result = await(engine.importStaged(store, "big.batch"));
            done.set(true);
            watcher.get(60, TimeUnit.SECONDS);
            assertThat(partial.get()).isNull();
            assertThat(result.count()).isEqualTo(count);
            assertThat(result.version()).isEqualTo(count + 1);
            assertThat(result.next()).isEqualTo(engine.commitPointer(store).orElseThrow().position());
            assertThat(engine.stats(store).orElseThrow().chunks()).isGreaterThan(20);
            // consumed: a replayed request finds nothing to import
            assertThatThrownBy(() -> await(engine.importStaged(store, "big.batch")))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("'big.batch'");
            try (StoreReader reader = engine.openReader(store)) {
                List<Event> read = readAll(reader);
                assertThat(read).hasSize(count + 1);
                for (int i = 0; i < count; i++) {
                    Event event = read.get(i + 1);
                    assertThat(event.version()).isEqualTo(i + 2);
                    assertThat(ByteBuffer.wrap(event.data()).getInt(0)).isEqualTo(i);
                    assertThat(event.streamId()).isEqualTo("batch-" + (i % 10));
                }
            }
        }
    }

    @Test
    void damagedCutEmptyAndOversizedBatchesAreRefusedAndLeaveTheStoreAsItWas() throws Exception {
        StoreId store = StoreId.of("imports");
        try (StoreEngine engine = open(options().withMaxEventSize(64))) {
            AppendResult before = append(engine, store.value(), "s", "before");
            byte[] damaged = batchBytes(500, 50);
            damaged[damaged.length - 10] ^= 42;
            stage(engine, "damaged.batch", damaged);
            assertThatThrownBy(() -> await(engine.importStaged(store, "damaged.batch")))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("staged batch 'damaged.batch'")
                    .hasMessageContaining("checksum mismatch");
            byte[] whole = batchBytes(3, 10);
            stage(engine, "cut.batch", Arrays.copyOf(whole, whole.length - 3));
            assertThatThrownBy(() -> await(engine.importStaged(store, "cut.batch")))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("cut short");
            stage(engine, "empty.batch", new byte[0]);
            assertThatThrownBy(() -> await(engine.importStaged(store, "empty.batch")))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("empty");
            stage(engine, "big-events.batch", batchBytes(3, 65));
            assertThatThrownBy(() -> await(engine.importStaged(store, "big-events.batch")))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("over the limit of 64");
            assertThat(engine.commitPointer(store).orElseThrow().position()).isEqualTo(before.next());
            AppendResult after = append(engine, store.value(), "s", "after");
            assertThat(after.version()).isEqualTo(2);
            assertThat(after.position()).isEqualTo(before.next());
        }
        try (StoreEngine engine = open(); StoreReader reader = engine.openReader(store)) {
            assertThat(data(reader)).containsExactly("before", "after");
        }
    }

    @Test
    void aRefusedImportIntoANewStoreLeavesNoStoreBehind() throws Exception {
        StoreId store = StoreId.of("refused");
        try (StoreEngine engine = open()) {
            byte[] whole = batchBytes(100, 50);
            stage(engine, "bad.batch", Arrays.copyOf(whole, whole.length - 3));
            assertThatThrownBy(() -> await(engine.importStaged(store, "bad.batch")))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("cut short");
            assertThat(engine.list()).doesNotContain(store);
            assertThat(engine.commitPointer(store)).isEmpty();
            // the store is created by a write that succeeds, from version 1
            assertThat(append(engine, store.value(), "s", "first").version()).isEqualTo(1);
        }
    }

    @Test
    void theStagingAreaRefusesLocationsThatCouldLeaveIt() throws Exception {
        try (StoreEngine engine = open()) {
            StagingArea staging = engine.stagingArea();
            stage(engine, "nested/ok.batch", batchBytes(2, 10));
            assertThat(staging.batch("nested/ok.batch").location()).isEqualTo("nested/ok.batch");
            assertThat(staging.batch("nested/ok.batch").size()).isEqualTo(batchBytes(2, 10).length);
            assertThat(staging.contains(staging.batch("nested/ok.batch"))).isTrue();
            assertThatThrownBy(() -> staging.batch("../secret.txt")).hasMessageContaining("'..'");
            assertThatThrownBy(() -> staging.batch("nested/../../secret.txt")).hasMessageContaining("'..'");
            assertThatThrownBy(() -> staging.batch("./ok.batch")).hasMessageContaining("'.'");
            assertThatThrownBy(() -> staging.batch("/etc/passwd")).hasMessageContaining("absolute");
            assertThatThrownBy(() -> staging.batch("c:/x")).hasMessageContaining("absolute");
            assertThatThrownBy(() -> staging.batch("missing.batch")).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("'missing.batch'");
            assertThatThrownBy(() -> staging.batch("")).hasMessageContaining("required");
            assertThatThrownBy(() -> staging.batch("a\u0000b")).hasMessageContaining("control characters");
            assertThatThrownBy(() -> staging.create("../escape.batch")).isInstanceOf(InvalidInputException.class);
            assertThatThrownBy(() -> staging.delete("../escape.batch")).isInstanceOf(InvalidInputException.class);
            assertThat(staging.delete("nested/ok.batch")).isTrue();
            assertThat(staging.delete("nested/ok.batch")).isFalse();
            assertThat(engine.list()).isEmpty(); // the staging area holds no store
        }
    }

    @Test
    void aBatchOfAnotherStagingAreaIsRefused() throws Exception {
        try (StoreEngine engine = open()) {
            StagedBatch foreign = new StagedBatch() {
                @Override
                public String location() {
                    return "foreign.batch";
                }

                @Override
                public long size() {
                    return 1;
                }

                @Override
                public java.nio.channels.ReadableByteChannel open() {
                    throw new AssertionError("a foreign batch is never read");
                }

                @Override
                public void consume() {
                    throw new AssertionError("a foreign batch is never consumed");
                }
            };
            assertThatThrownBy(() -> await(engine.importStaged(StoreId.of("foreign"), foreign)))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("not in the staging area");
            assertThat(engine.list()).isEmpty();
        }
    }
}
