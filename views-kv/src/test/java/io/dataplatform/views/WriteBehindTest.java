package io.dataplatform.views;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataplatform.views.spi.BackendContainer;
import io.dataplatform.views.spi.DocumentVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file backend writes views behind the commits: a commit is durable in the journal and visible
 * to this process at once; its files follow within one flush interval; the dirty set is bounded;
 * the flusher's failures surface; close writes everything; a crash while views are dirty loses nothing.
 */
class WriteBehindTest {

    private static final WriteBehind ON_DEMAND = new WriteBehind(null, WriteBehind.DEFAULT_MAX_DIRTY_BYTES);

    @TempDir
    Path temp;

    private final List<OpenViewStore> opened = new ArrayList<>();
    private final ExecutorService committer = Executors.newSingleThreadExecutor();

    @AfterEach
    void abandonStores() {
        committer.shutdownNow();
        opened.forEach(OpenViewStore::abandon);
    }

    private String location() {
        return temp.resolve("root").toString();
    }

    private Path file(String key) {
        return temp.resolve("root/views/views/" + key + ".json");
    }

    private OpenViewStore open(WriteBehind writeBehind, UnaryOperator<BackendContainer> wrap) throws IOException {
        return open(writeBehind, wrap, System::nanoTime);
    }

    private OpenViewStore open(WriteBehind writeBehind, UnaryOperator<BackendContainer> wrap, java.util.function.LongSupplier clock)
            throws IOException {
        OpenViewStore store = ViewStores.open(location(), new WrappedBackend(WrappedBackend.real(location()), wrap, false),
                ViewStoreOptions.defaults(), CommitHook.NONE, clock, writeBehind);
        opened.add(store);
        return store;
    }

    private static byte[] json(String text) {
        return text.getBytes(UTF_8);
    }

    @Test
    void aCommitIsVisibleInThisProcessBeforeItsFilesAreWritten() throws IOException {
        OpenViewStore store = open(ON_DEMAND, UnaryOperator.identity());
        ViewReader earlyReader = store.reader("views"); // opened before the writer, as a web UI might be
        ViewContainer views = store.container("views");
        views.writeBytes("gone", json("{\"v\":0}"));
        store.flush();
        assertThat(file("gone")).exists();

        views.commit(List.of(ViewChange.write("a", json("{\"v\":1}")), ViewChange.write("dir/b", json("{\"v\":2}")),
                ViewChange.delete("gone")), Checkpoint.at(7));

        assertThat(file("a")).as("not written yet").doesNotExist();
        assertThat(file("gone")).as("not deleted yet").exists();
        assertThat(temp.resolve("root/views/checkpoint.json")).doesNotExist();
        for (ViewReader reader : List.of(views, earlyReader, store.reader("views"))) {
            assertThat(reader.readBytes("a")).asString(UTF_8).isEqualTo("{\"v\":1}");
            assertThat(reader.readBytes("dir/b")).asString(UTF_8).isEqualTo("{\"v\":2}");
            assertThat(reader.exists("gone")).isFalse();
            assertThat(reader.readCheckpoint()).isEqualTo(Checkpoint.at(7));
            try (Stream<String> keys = reader.keys("")) {
                assertThat(keys).containsExactlyInAnyOrder("a", "dir/b");
            }
        }

        store.flush();
        assertThat(file("a")).hasContent("{\"v\":1}");
        assertThat(file("gone")).doesNotExist();
        assertThat(views.readBytes("a")).asString(UTF_8).isEqualTo("{\"v\":1}");
        try (Stream<String> keys = views.keys("")) {
            assertThat(keys).as("each key once, dirty or not").containsExactlyInAnyOrder("a", "dir/b");
        }
    }

    @Test
    void anotherProcessSeesACommitWithinTheBound() throws IOException {
        Duration bound = ViewStoreOptions.defaults().revalidateAfter();
        WriteBehind writeBehind = WriteBehind.of(ViewStoreOptions.defaults());
        OpenViewStore writerStore = open(writeBehind, UnaryOperator.identity());
        ViewContainer views = writerStore.container("views");
        views.writeBytes("a", json("1"));
        // Another process: its own backend and cache over the same directory, on a clock the test drives.
        AtomicLong clock = new AtomicLong();
        OpenViewStore otherProcess = open(writeBehind, UnaryOperator.identity(), clock::get);
        ViewReader other = otherProcess.reader("views");
        Await.until(Duration.ofSeconds(10), "the first version is written", () -> Files.exists(file("a")));
        assertThat(other.readBytes("a")).asString(UTF_8).isEqualTo("1");

        views.writeBytes("a", json("2"));
        // The flusher writes the file on its own, within one interval (writeBehind.interval()) of the commit,
        // and publishes the container's generation after it, within a fifth of an interval ...
        Await.until(Duration.ofSeconds(10), "the flusher writes the new version", () -> "2".equals(read(file("a"))));
        writerStore.flush(); // waits for the pass that wrote it, which publishes the generation as it ends
        // ... and the other process reads the generation again, then the view, once the rest of the bound has passed.
        Duration rest = bound.minus(writeBehind.interval()).minus(writeBehind.publishEvery());
        clock.addAndGet(rest.minusNanos(1).toNanos());
        assertThat(other.readBytes("a")).as("served from its cache until then").asString(UTF_8).isEqualTo("1");
        clock.addAndGet(1);
        assertThat(other.readBytes("a")).asString(UTF_8).isEqualTo("2");
        assertThat(writeBehind.interval().plus(writeBehind.publishEvery()).plus(rest)).isEqualTo(bound);
    }

    @Test
    void anotherProcessChecksNoViewVersionsWhileTheContainerIsUnchangedAndOnlyReadsChangedViews() throws IOException {
        OpenViewStore writerStore = open(ON_DEMAND, UnaryOperator.identity());
        ViewContainer views = writerStore.container("views");
        for (int i = 0; i < 10; i++) {
            views.writeBytes("k" + i, json("0"));
        }
        writerStore.flush();
        AtomicLong clock = new AtomicLong();
        AtomicInteger versions = new AtomicInteger();
        AtomicInteger gets = new AtomicInteger();
        OpenViewStore otherProcess = open(ON_DEMAND, container -> new ForwardingContainer(container) {
            @Override
            public DocumentVersion version(String key) throws IOException {
                versions.incrementAndGet();
                return super.version(key);
            }

            @Override
            public io.dataplatform.views.spi.StoredDocument get(String key) throws IOException {
                gets.incrementAndGet();
                return super.get(key);
            }
        }, clock::get);
        ViewReader other = otherProcess.reader("views");
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 10; i++) {
                assertThat(other.readBytes("k" + i)).asString(UTF_8).isEqualTo("0");
            }
            clock.addAndGet(Duration.ofSeconds(1).toNanos());
        }
        assertThat(versions).as("no stat per view while nothing changed").hasValue(0);
        assertThat(gets).hasValue(10);

        views.writeBytes("k3", json("1"));
        writerStore.flush(); // writes the view file, then publishes the generation
        for (int i = 0; i < 10; i++) {
            assertThat(other.readBytes("k" + i)).asString(UTF_8).isEqualTo(i == 3 ? "1" : "0");
        }
        assertThat(versions).as("one stat per view read after the change").hasValue(10);
        assertThat(gets).as("only the changed view is read again").hasValue(11);
    }

    @Test
    void aCommitWaitsForTheFlusherWhenTheDirtySetIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger putsStarted = new AtomicInteger();
        WriteBehind small = new WriteBehind(Duration.ofMillis(10), 8 * 1024);
        OpenViewStore store = open(small, container -> new ForwardingContainer(container) {
            @Override
            public DocumentVersion put(String key, byte[] document) throws IOException {
                putsStarted.incrementAndGet();
                try {
                    release.await(); // a slow disk: the flusher is stuck until the test lets it go
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return super.put(key, document);
            }
        });
        JournaledContainer views = (JournaledContainer) store.container("views");
        byte[] fiveKib = new byte[5 * 1024];
        java.util.Arrays.fill(fiveKib, (byte) '1');
        views.commit(List.of(ViewChange.write("a", fiveKib)), Checkpoint.at(1)); // room for it: returns
        Await.until(Duration.ofSeconds(10), "the flusher starts writing a", () -> putsStarted.get() == 1);

        CompletableFuture<Void> second = CompletableFuture.runAsync(
                () -> views.commit(List.of(ViewChange.write("b", fiveKib)), Checkpoint.at(2)), committer);
        Await.until(Duration.ofSeconds(10), "the second commit waits for room", () -> views.waitingCommits() == 1);
        assertThat(second).as("blocked while the flusher is stuck").isNotDone();
        assertThat(views.readCheckpoint()).isEqualTo(Checkpoint.at(1));

        release.countDown();
        second.get(10, TimeUnit.SECONDS);
        assertThat(views.readBytes("b")).isEqualTo(fiveKib);
        assertThat(views.readCheckpoint()).isEqualTo(Checkpoint.at(2));
        assertThat(views.waitingCommits()).isZero();
    }

    /** A write-behind store whose backend fails every put with {@code message}, counting them. */
    private OpenViewStore openWithFailingPuts(AtomicInteger failedPuts, String message) throws IOException {
        return open(WriteBehind.of(ViewStoreOptions.defaults()), container -> new ForwardingContainer(container) {
            @Override
            public DocumentVersion put(String key, byte[] document) throws IOException {
                failedPuts.incrementAndGet();
                throw new IOException(message);
            }
        });
    }

    @Test
    void aFlusherFailureSurfacesOnTheNextCommitAndNothingCommittedIsLost() throws IOException {
        AtomicInteger failedPuts = new AtomicInteger();
        OpenViewStore store = openWithFailingPuts(failedPuts, "No space left on device");
        JournaledContainer views = (JournaledContainer) store.container("views");
        views.commit(List.of(ViewChange.write("a", json("1"))), Checkpoint.at(1)); // durable in the journal: returns
        Await.until(Duration.ofSeconds(10), "the flusher fails", () -> failedPuts.get() == 1 && views.flusherFailure() != null);

        assertThatThrownBy(() -> views.commit(List.of(ViewChange.write("b", json("2"))), Checkpoint.at(2)))
                .isInstanceOf(ViewStoreException.class)
                .hasMessageContaining("container 'views'")
                .hasMessageContaining("No space left on device")
                .hasMessageContaining("reopen");
        assertThat(views.readBytes("a")).as("still served from the dirty set").asString(UTF_8).isEqualTo("1");
        store.close(); // the failure was reported: close releases quietly, leaving the journal

        OpenViewStore reopened = open(ON_DEMAND, UnaryOperator.identity());
        ViewContainer after = reopened.container("views");
        assertThat(after.readBytes("a")).asString(UTF_8).isEqualTo("1");
        assertThat(after.exists("b")).as("the refused commit never happened").isFalse();
        assertThat(after.readCheckpoint()).isEqualTo(Checkpoint.at(1));
        assertThat(file("a")).as("re-applied from the journal on open").hasContent("1");
    }

    @Test
    void aFlusherFailureNoCommitReportedSurfacesOnClose() throws IOException {
        AtomicInteger failedPuts = new AtomicInteger();
        OpenViewStore store = openWithFailingPuts(failedPuts, "Input/output error");
        JournaledContainer views = (JournaledContainer) store.container("views");
        views.writeBytes("a", json("1"));
        Await.until(Duration.ofSeconds(10), "the flusher fails", () -> failedPuts.get() == 1 && views.flusherFailure() != null);
        assertThatThrownBy(store::close).isInstanceOf(ViewStoreException.class).hasMessageContaining("Input/output error");
    }

    @Test
    void closeWritesEveryDirtyViewAndDropsTheJournal() throws IOException {
        OpenViewStore store = open(ON_DEMAND, UnaryOperator.identity());
        ViewContainer views = store.container("views");
        for (int commit = 1; commit <= 20; commit++) {
            views.commit(List.of(ViewChange.write("hot", json(Integer.toString(commit))),
                    ViewChange.write("new/" + commit, json("{}"))), Checkpoint.at(commit));
        }
        assertThat(file("hot")).doesNotExist();
        store.close();

        assertThat(file("hot")).hasContent("20");
        for (int commit = 1; commit <= 20; commit++) {
            assertThat(temp.resolve("root/views/views/new/" + commit + ".json")).hasContent("{}");
        }
        assertThat(temp.resolve("root/views/checkpoint.json")).hasContent("{\"position\":20,\"metadata\":{}}");
        assertThat(temp.resolve("root/views/journal.log")).isEmptyFile();
    }

    @Test
    void aCrashWhileViewsAreDirtyLeavesTheLastCommitOnReopen() throws IOException {
        OpenViewStore store = open(ON_DEMAND, UnaryOperator.identity());
        ViewContainer views = store.container("views");
        views.commit(List.of(ViewChange.write("a", json("1")), ViewChange.write("b", json("1"))), Checkpoint.at(1));
        store.flush();
        views.commit(List.of(ViewChange.write("a", json("2")), ViewChange.delete("b")), Checkpoint.at(2));
        views.commit(List.of(ViewChange.write("a", json("3")), ViewChange.write("c", json("3"))), Checkpoint.at(3));
        store.abandon(); // killed: files hold commit 1, the journal commits 1 to 3
        assertThat(file("a")).hasContent("1");

        ViewContainer after = open(ON_DEMAND, UnaryOperator.identity()).container("views");
        assertThat(after.readBytes("a")).asString(UTF_8).isEqualTo("3");
        assertThat(after.exists("b")).isFalse();
        assertThat(after.readBytes("c")).asString(UTF_8).isEqualTo("3");
        assertThat(after.readCheckpoint()).isEqualTo(Checkpoint.at(3));
        assertThat(file("a")).hasContent("3");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null;
        }
    }
}
