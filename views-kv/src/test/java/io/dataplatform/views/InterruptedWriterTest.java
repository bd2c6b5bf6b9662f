package io.dataplatform.views;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Applications interrupt their own threads (cancelled tasks, shutdown): an interrupt of a thread
 * that commits, reads or closes a file-backed view store must neither break the store nor lose a
 * commit, and the thread's interrupt status stays set for its caller.
 */
class InterruptedWriterTest {

    private static final int INTERRUPTS = 200;
    private static final int KEYS = 40;

    @TempDir
    Path temp;

    private String location() {
        return temp.resolve("root").toString();
    }

    /**
     * The {@code file} backend with a small journal limit (the flusher syncs and drops the journal
     * often, alongside the interrupted commits) and a small dirty bound (commits often wait for room).
     */
    private OpenViewStore open() throws IOException {
        return open(new WriteBehind(Duration.ofMillis(10), 2 << 10));
    }

    private OpenViewStore open(WriteBehind writeBehind) throws IOException {
        return ViewStores.open(location(), WrappedBackend.real(location()),
                ViewStoreOptions.defaults().withJournalLimitBytes(16 << 10), CommitHook.NONE, System::nanoTime, writeBehind);
    }

    @Test
    void aWriterInterruptedManyTimesLosesNoCommitAndLeavesTheStoreUsable() throws Exception {
        ViewStore store = open();
        ViewContainer views = store.container("interrupted");
        Map<String, String> committed = new ConcurrentHashMap<>();
        AtomicLong lastPosition = new AtomicLong(-1);
        AtomicLong commits = new AtomicLong();
        AtomicInteger interruptsSeen = new AtomicInteger();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        AtomicInteger stop = new AtomicInteger();
        List<String> refusedBecauseInterrupted = new ArrayList<>();

        Thread writer = new Thread(() -> {
            try {
                for (long i = 0; stop.get() == 0; i++) {
                    String key = "users/" + (i % KEYS);
                    String other = "rooms/" + (i % 7);
                    String document = "{\"n\":" + i + "}";
                    try {
                        views.commit(List.of(ViewChange.write(key, document.getBytes(UTF_8)),
                                ViewChange.write(other, document.getBytes(UTF_8))), Checkpoint.at(i));
                        committed.put(key, document);
                        committed.put(other, document);
                        lastPosition.set(i);
                        commits.incrementAndGet();
                    } catch (ViewStoreException e) {
                        // the one refusal an interrupt may cause: waiting for room, before anything is written
                        if (!(e.getCause() instanceof InterruptedException) || !Thread.currentThread().isInterrupted()) {
                            throw e;
                        }
                        refusedBecauseInterrupted.add(e.getMessage());
                    }
                    if (i % 25 == 0) {
                        String read = views.readBytes(key) == null ? null : new String(views.readBytes(key), UTF_8);
                        if (committed.containsKey(key) && !committed.get(key).equals(read)) {
                            throw new AssertionError("read back " + read + " for " + key + ", committed " + committed.get(key));
                        }
                    }
                    if (Thread.interrupted()) {
                        interruptsSeen.incrementAndGet();
                    }
                }
            } catch (Throwable e) {
                unexpected.set(e);
            }
        }, "interrupted-writer");
        writer.start();

        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int n = 0; n < INTERRUPTS; n++) {
            long before = commits.get();
            Await.until(Duration.ofSeconds(30), "the writer commits again (interrupt " + n + ")",
                    () -> commits.get() > before || unexpected.get() != null);
            assertThat(unexpected.get()).as("what the writer threw").isNull();
            int spins = random.nextInt(200_000); // lands anywhere in a commit: journal append, sync, read
            for (int s = 0; s < spins; s++) {
                Thread.onSpinWait();
            }
            writer.interrupt();
        }
        long after = commits.get();
        Await.until(Duration.ofSeconds(30), "the writer commits after the last interrupt",
                () -> commits.get() > after + 10 || unexpected.get() != null);
        stop.set(1);
        Await.until(Duration.ofSeconds(30), "the writer ends", () -> !writer.isAlive());
        assertThat(unexpected.get()).as("what the writer threw").isNull();
        // each interrupt waits for a commit after the previous one was seen: none may be swallowed
        assertThat(interruptsSeen.get()).as("interrupts the writer still saw after its calls returned").isEqualTo(INTERRUPTS);

        // the store still commits, and reads back every committed view exactly
        views.commit(List.of(ViewChange.write("after", "{\"ok\":true}".getBytes(UTF_8))), Checkpoint.at(lastPosition.get() + 1));
        committed.put("after", "{\"ok\":true}");
        Map<String, String> expected = new HashMap<>(committed);
        for (Map.Entry<String, String> view : expected.entrySet()) {
            assertThat(new String(views.readBytes(view.getKey()), UTF_8)).as("view %s", view.getKey()).isEqualTo(view.getValue());
        }
        store.close(); // writes, syncs and drops the journal: throws if a channel was closed

        try (ViewStore reopened = open()) {
            ViewContainer again = reopened.container("interrupted");
            for (Map.Entry<String, String> view : expected.entrySet()) {
                assertThat(new String(again.readBytes(view.getKey()), UTF_8)).as("view %s after reopening", view.getKey())
                        .isEqualTo(view.getValue());
            }
            assertThat(again.readCheckpoint().position()).isEqualTo(lastPosition.get() + 1);
            again.commit(List.of(ViewChange.write("reopened", "{}".getBytes(UTF_8))), Checkpoint.at(lastPosition.get() + 2));
        }
    }

    @Test
    void anInterruptedThreadCommitsReadsAndClosesAndStaysInterrupted() throws IOException {
        ViewStore store = open();
        ViewContainer views = store.container("flagged");
        views.commit(List.of(ViewChange.write("a", "{\"v\":1}".getBytes(UTF_8))), Checkpoint.at(1));

        Thread.currentThread().interrupt();
        try {
            views.commit(List.of(ViewChange.write("a", "{\"v\":2}".getBytes(UTF_8))), Checkpoint.at(2));
            assertThat(Thread.currentThread().isInterrupted()).as("interrupted after a commit").isTrue();
            assertThat(new String(views.readBytes("a"), UTF_8)).isEqualTo("{\"v\":2}");
            assertThat(views.readCheckpoint().position()).isEqualTo(2);
            assertThat(Thread.currentThread().isInterrupted()).as("interrupted after reads").isTrue();
            store.close(); // the last flush pass, the bulk sync and the journal drop run on this thread
            assertThat(Thread.currentThread().isInterrupted()).as("interrupted after closing").isTrue();
        } finally {
            Thread.interrupted();
        }

        try (ViewStore reopened = open()) {
            ViewContainer again = reopened.container("flagged");
            assertThat(new String(again.readBytes("a"), UTF_8)).isEqualTo("{\"v\":2}");
            assertThat(again.readCheckpoint().position()).isEqualTo(2);
        }
    }

    @Test
    void aStoreOpenedAndReleasedByAnInterruptedThreadRecoversItsJournal() throws IOException {
        OpenViewStore store = open(new WriteBehind(null, WriteBehind.DEFAULT_MAX_DIRTY_BYTES)); // flushes only when asked
        ViewContainer views = store.container("recovered");
        views.commit(List.of(ViewChange.write("k", "{\"v\":1}".getBytes(UTF_8))), Checkpoint.at(1));
        store.abandon(); // a crash: the journal keeps the commit, no view file was written

        Thread.currentThread().interrupt();
        try {
            ViewStore reopened = open(); // recovery writes, syncs and drops the journal on this thread
            ViewContainer again = reopened.container("recovered");
            assertThat(new String(again.readBytes("k"), UTF_8)).isEqualTo("{\"v\":1}");
            again.commit(List.of(ViewChange.write("k", "{\"v\":2}".getBytes(UTF_8))), Checkpoint.at(2));
            reopened.releaseContainer("recovered");
            reopened.close();
            assertThat(Thread.currentThread().isInterrupted()).as("interrupted after recovery, release and close").isTrue();
        } finally {
            Thread.interrupted();
        }

        try (ViewStore last = open()) {
            assertThat(new String(last.container("recovered").readBytes("k"), UTF_8)).isEqualTo("{\"v\":2}");
        }
    }

    @Test
    void anInterruptedThreadDropsAContainerWhole() throws IOException {
        try (ViewStore store = open()) {
            ViewContainer views = store.container("dropped");
            views.commit(List.of(ViewChange.write("k", "{}".getBytes(UTF_8))), Checkpoint.at(1));
            Thread.currentThread().interrupt();
            try {
                store.dropContainer("dropped"); // renames aside, syncs the parent directory, deletes
                assertThat(Thread.currentThread().isInterrupted()).as("interrupted after the drop").isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(store.containers()).doesNotContain("dropped");
            try (Stream<Path> left = Files.list(temp.resolve("root"))) {
                assertThat(left.map(path -> path.getFileName().toString())).as("nothing left of the container").isEmpty();
            }
            ViewContainer anew = store.container("dropped");
            assertThat(anew.readBytes("k")).isNull();
            assertThat(anew.readCheckpoint()).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "rocksdb", "memory"})
    void everyLocalBackendServesAnInterruptedThreadAndKeepsItInterrupted(String backend) {
        String location = switch (backend) {
            case "file" -> temp.resolve("files").toString();
            case "rocksdb" -> "rocksdb:" + temp.resolve("rocks");
            default -> "memory:interrupted-" + UUID.randomUUID();
        };
        ViewStore store = ViewStores.open(location);
        Thread.currentThread().interrupt();
        try {
            ViewContainer views = store.container("flagged");
            views.commit(List.of(ViewChange.write("a", "{\"v\":1}".getBytes(UTF_8))), Checkpoint.at(1));
            views.writeBytes("b", "{}".getBytes(UTF_8));
            assertThat(new String(views.readBytes("a"), UTF_8)).isEqualTo("{\"v\":1}");
            store.releaseContainer("flagged");
            ViewContainer again = store.container("flagged");
            assertThat(new String(again.readBytes("a"), UTF_8)).isEqualTo("{\"v\":1}");
            assertThat(again.readCheckpoint().position()).isEqualTo(1);
            store.dropContainer("flagged");
            assertThat(store.containers()).doesNotContain("flagged");
            store.container("other").writeBytes("c", "{}".getBytes(UTF_8));
            store.close();
            assertThat(Thread.currentThread().isInterrupted()).as("interrupted after every call").isTrue();
        } finally {
            Thread.interrupted();
            store.close();
        }
    }
}
