package io.dataplatform.views;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every view backend must do, run against each one ({@code file}, {@code memory}, later
 * {@code azure}) by a subclass that says where a fresh store lives.
 */
abstract class ViewStoreContract {

    record Counter(String name, long count) {
    }

    private final List<OpenViewStore> opened = new ArrayList<>();

    /** A location no other test uses; the same one on every call within a test. */
    abstract String location();

    OpenViewStore open() {
        return open(ViewStoreOptions.defaults(), CommitHook.NONE);
    }

    OpenViewStore open(ViewStoreOptions options, CommitHook hook) {
        OpenViewStore store = ViewStores.open(location(), options, hook, System::nanoTime);
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(OpenViewStore::abandon);
    }

    @Test
    void readOfMissingViewIsNull() {
        ViewContainer views = open().container("views");
        assertThat(views.readBytes("nothing/here")).isNull();
        assertThat(views.read("nothing", Counter.class)).isNull();
        assertThat(views.exists("nothing")).isFalse();
    }

    @Test
    void writtenViewIsReadBackAsBytesAndTyped() {
        ViewContainer views = open().container("views");
        views.write("counters/a", new Counter("a", 3));
        views.writeBytes("raw", "{\"x\":1}".getBytes(UTF_8));

        assertThat(views.read("counters/a", Counter.class)).isEqualTo(new Counter("a", 3));
        assertThat(new String(views.readBytes("counters/a"), UTF_8)).isEqualTo("{\"name\":\"a\",\"count\":3}");
        assertThat(views.readBytes("raw")).asString(UTF_8).isEqualTo("{\"x\":1}");
    }

    @Test
    void typedAccessGoesThroughTheConfiguredMapper() {
        ObjectMapper snake = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE);
        ViewContainer views = open(ViewStoreOptions.defaults().withMapper(snake), CommitHook.NONE).container("views");
        views.write("a", new Counter("a", 1));
        assertThat(views.readBytes("a")).asString(UTF_8).isEqualTo("{\"Name\":\"a\",\"Count\":1}");
        assertThat(views.read("a", Counter.class)).isEqualTo(new Counter("a", 1));
    }

    @Test
    void readOrNewReturnsANewValueWithoutWritingIt() {
        ViewContainer views = open().container("views");
        assertThat(views.readOrNew("a", Counter.class, () -> new Counter("a", 0))).isEqualTo(new Counter("a", 0));
        assertThat(views.exists("a")).isFalse();
        views.write("a", new Counter("a", 5));
        assertThat(views.readOrNew("a", Counter.class, () -> new Counter("a", 0))).isEqualTo(new Counter("a", 5));
    }

    @Test
    void deleteRemovesTheViewAndSaysWhetherThereWasOne() {
        ViewContainer views = open().container("views");
        views.write("a", new Counter("a", 1));
        assertThat(views.delete("a")).isTrue();
        assertThat(views.exists("a")).isFalse();
        assertThat(views.readBytes("a")).isNull();
        assertThat(views.delete("a")).isFalse();
    }

    @Test
    void bytesHandedInOrOutAreCopies() {
        ViewContainer views = open().container("views");
        byte[] document = "{\"v\":1}".getBytes(UTF_8);
        views.writeBytes("a", document);
        document[6] = '9';
        byte[] read = views.readBytes("a");
        read[6] = '8';
        assertThat(views.readBytes("a")).asString(UTF_8).isEqualTo("{\"v\":1}");
    }

    @Test
    void keysAreListedByPrefix() {
        ViewContainer views = open().container("views");
        for (String key : List.of("users/1", "users/10", "users/2/profile", "usersx", "posts/1", "u", "ü/1", "users/😀")) {
            views.writeBytes(key, "{}".getBytes(UTF_8));
        }
        assertThat(keys(views, "users/")).containsExactlyInAnyOrder("users/1", "users/10", "users/2/profile", "users/😀");
        assertThat(keys(views, "users/1")).containsExactlyInAnyOrder("users/1", "users/10");
        assertThat(keys(views, "users")).containsExactlyInAnyOrder("users/1", "users/10", "users/2/profile", "usersx", "users/😀");
        assertThat(keys(views, "")).hasSize(8);
        assertThat(keys(views, "ü")).containsExactly("ü/1");
        assertThat(keys(views, "nothing/")).isEmpty();
    }

    @Test
    void keysAreFoundLazily() {
        ViewContainer views = open().container("views");
        for (int i = 0; i < 50; i++) {
            views.writeBytes("k/" + i, "{}".getBytes(UTF_8));
        }
        try (Stream<String> keys = views.keys("k/")) {
            assertThat(keys.limit(3).toList()).hasSize(3);
        }
    }

    @Test
    void aKeyMayBeBothAViewAndAPrefixOfOthers() {
        ViewContainer views = open().container("views");
        views.writeBytes("a", "1".getBytes(UTF_8));
        views.writeBytes("a/b", "2".getBytes(UTF_8));
        views.writeBytes("a.json", "3".getBytes(UTF_8));
        views.writeBytes("a.json/b", "4".getBytes(UTF_8));
        assertThat(views.readBytes("a")).asString(UTF_8).isEqualTo("1");
        assertThat(views.readBytes("a/b")).asString(UTF_8).isEqualTo("2");
        assertThat(views.readBytes("a.json")).asString(UTF_8).isEqualTo("3");
        assertThat(views.readBytes("a.json/b")).asString(UTF_8).isEqualTo("4");
        assertThat(keys(views, "a")).containsExactlyInAnyOrder("a", "a/b", "a.json", "a.json/b");
    }

    @ParameterizedTest
    @MethodSource("io.dataplatform.views.HostileKeys#oddButValid")
    void oddButValidKeysRoundTrip(String key) {
        ViewStore store = open();
        ViewContainer views = store.container("views");
        views.writeBytes(key, "{\"odd\":true}".getBytes(UTF_8));
        assertThat(views.readBytes(key)).asString(UTF_8).isEqualTo("{\"odd\":true}");
        assertThat(keys(views, "")).containsExactly(key);
        assertThat(keys(store.reader("views"), key)).containsExactly(key);
    }

    @ParameterizedTest
    @MethodSource("io.dataplatform.views.HostileKeys#invalid")
    void unsafeKeysAreRefusedNamingTheBrokenRule(String key, String rule) {
        ViewContainer views = open().container("views");
        assertThatThrownBy(() -> views.writeBytes(key, new byte[0]))
                .isInstanceOf(InvalidViewKeyException.class)
                .hasMessageContaining(rule);
        assertThatThrownBy(() -> views.readBytes(key)).isInstanceOf(InvalidViewKeyException.class);
        assertThatThrownBy(() -> views.commit(List.of(ViewChange.write("fine", new byte[0]), ViewChange.delete(key)), Checkpoint.at(1)))
                .isInstanceOf(InvalidViewKeyException.class);
        assertThat(views.exists("fine")).as("nothing of a refused commit is written").isFalse();
        assertThat(views.readCheckpoint()).isNull();
    }

    @Test
    void badContainerNamesAreRefused() {
        ViewStore store = open();
        for (String name : List.of("ab", "Views", "a--b", "-ab", "ab-", "../x", "a/b", "x".repeat(49))) {
            assertThatThrownBy(() -> store.container(name)).as(name)
                    .isInstanceOf(InvalidViewKeyException.class).hasMessageContaining("3 to 48 characters");
        }
    }

    @Test
    void checkpointIsNullUntilTheFirstCommitThatCarriesOne() {
        ViewContainer views = open().container("views");
        assertThat(views.readCheckpoint()).isNull();
        views.commit(List.of(views.change("a", new Counter("a", 1))), null);
        assertThat(views.readCheckpoint()).isNull();
        views.commit(List.of(), new Checkpoint(42, Map.of("store", "sales")));
        assertThat(views.readCheckpoint()).isEqualTo(new Checkpoint(42, Map.of("store", "sales")));
    }

    @Test
    void commitWritesEveryChangeAndTheCheckpoint() {
        ViewContainer views = open().container("views");
        views.write("gone", new Counter("gone", 1));
        views.commit(List.of(
                views.change("a", new Counter("a", 1)),
                views.change("b", new Counter("b", 2)),
                views.change("a", new Counter("a", 3)),
                ViewChange.delete("gone")), Checkpoint.at(7));
        assertThat(views.read("a", Counter.class)).as("the last change of a key wins").isEqualTo(new Counter("a", 3));
        assertThat(views.read("b", Counter.class)).isEqualTo(new Counter("b", 2));
        assertThat(views.exists("gone")).isFalse();
        assertThat(views.readCheckpoint()).isEqualTo(Checkpoint.at(7));
    }

    @Test
    void beginEpochKeepsTheCheckpointAndRaisesItsEpoch() {
        ViewContainer views = open().container("views");
        assertThat(views.beginEpoch()).as("no checkpoint yet").isEqualTo(new Checkpoint(0, Map.of(), 1));
        views.commit(List.of(views.change("a", new Counter("a", 1))), new Checkpoint(9, Map.of("store", "sales"), 1));
        assertThat(views.beginEpoch()).isEqualTo(new Checkpoint(9, Map.of("store", "sales"), 2));
        assertThat(views.readCheckpoint()).isEqualTo(new Checkpoint(9, Map.of("store", "sales"), 2));
        assertThat(views.read("a", Counter.class)).isEqualTo(new Counter("a", 1));
    }

    @Test
    void aCommitOfAnOlderEpochIsRefusedWritingNothingEvenAfterReopening() {
        OpenViewStore first = open();
        ViewContainer views = first.container("views");
        long old = views.beginEpoch().epoch();
        views.commit(List.of(views.change("a", new Counter("a", 1))), new Checkpoint(5, Map.of(), old));
        long newer = views.beginEpoch().epoch();
        assertThat(newer).isGreaterThan(old);

        assertThatThrownBy(() -> views.commit(List.of(views.change("a", new Counter("a", 2)), views.change("b",
                new Counter("b", 1))), new Checkpoint(6, Map.of(), old)))
                .isInstanceOfSatisfying(FencedCommitException.class, e -> {
                    assertThat(e.epoch()).isEqualTo(old);
                    assertThat(e.current()).isEqualTo(newer);
                    assertThat(e.container()).isEqualTo("views");
                });
        assertThat(views.read("a", Counter.class)).as("nothing of the refused commit").isEqualTo(new Counter("a", 1));
        assertThat(views.exists("b")).isFalse();
        assertThat(views.readCheckpoint()).isEqualTo(new Checkpoint(5, Map.of(), newer));

        views.commit(List.of(views.change("a", new Counter("a", 3))), new Checkpoint(7, Map.of(), newer));
        views.commit(List.of(views.change("c", new Counter("c", 1))), null); // writes without a checkpoint are not fenced
        first.close();

        ViewContainer reopened = open().container("views");
        assertThat(reopened.readCheckpoint()).isEqualTo(new Checkpoint(7, Map.of(), newer));
        assertThatThrownBy(() -> reopened.commit(List.of(), new Checkpoint(8, Map.of(), old)))
                .as("the epoch is stored with the checkpoint").isInstanceOf(FencedCommitException.class);
        reopened.commit(List.of(reopened.change("a", new Counter("a", 4))), new Checkpoint(8, Map.of(), newer + 1));
        assertThat(reopened.read("a", Counter.class)).isEqualTo(new Counter("a", 4));
        assertThat(reopened.readCheckpoint().epoch()).as("a newer epoch is taken as it comes").isEqualTo(newer + 1);
    }

    @Test
    void beginEpochAndCommitsOfTheOldEpochRacingNeverLoseOrRepeatACommit() throws Exception {
        ViewContainer views = open().container("views");
        long old = views.beginEpoch().epoch();
        java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();
        Thread oldWriter = new Thread(() -> {
            for (int i = 1; i <= 200; i++) {
                try {
                    views.commit(List.of(views.change("n", new Counter("n", i))), new Checkpoint(i, Map.of(), old));
                    accepted.set(i);
                } catch (FencedCommitException e) {
                    return;
                }
            }
        });
        oldWriter.start();
        Checkpoint taken = views.beginEpoch();
        oldWriter.join(60_000);
        assertThat(oldWriter.isAlive()).isFalse();
        // the new epoch begins exactly where the last accepted commit of the old one left the checkpoint
        assertThat(taken.position()).isEqualTo(views.read("n", Counter.class) == null ? 0
                : views.read("n", Counter.class).count());
        assertThat(taken.position()).isEqualTo(accepted.get());
        assertThat(views.readCheckpoint()).isEqualTo(taken);
    }

    @Test
    void everythingWrittenIsThereAfterReopening() {
        OpenViewStore first = open();
        ViewContainer views = first.container("views");
        views.commit(List.of(views.change("a", new Counter("a", 1))), Checkpoint.at(1));
        views.write("b", new Counter("b", 2));
        first.close();

        ViewContainer again = open().container("views");
        assertThat(again.read("a", Counter.class)).isEqualTo(new Counter("a", 1));
        assertThat(again.read("b", Counter.class)).isEqualTo(new Counter("b", 2));
        assertThat(again.readCheckpoint()).isEqualTo(Checkpoint.at(1));
    }

    @Test
    void aSecondWriterOfAContainerIsRefusedButReadersAreNot() {
        OpenViewStore first = open();
        first.container("views").write("a", new Counter("a", 1));
        OpenViewStore second = open();
        assertThatThrownBy(() -> second.container("views"))
                .isInstanceOf(ViewStoreException.class)
                .hasMessageContaining("views")
                .hasMessageContaining("already written");
        ViewReader reader = second.reader("views");
        // another store is another process: it sees the write once the writer has written its file (write-behind)
        Await.until(java.time.Duration.ofSeconds(10), "the other store reads a",
                () -> new Counter("a", 1).equals(reader.read("a", Counter.class)));
        first.close();
        assertThat(second.container("views").read("a", Counter.class)).isEqualTo(new Counter("a", 1));
    }

    @Test
    void aWriteIsVisibleAtOnceToReadersInTheSameProcess() {
        ViewStore store = open();
        ViewReader reader = store.reader("views");
        assertThat(reader.exists("a")).isFalse(); // cached as missing
        ViewContainer writer = store.container("views");
        writer.write("a", new Counter("a", 1));
        assertThat(reader.read("a", Counter.class)).isEqualTo(new Counter("a", 1));
        writer.write("a", new Counter("a", 2));
        assertThat(reader.read("a", Counter.class)).isEqualTo(new Counter("a", 2));
        writer.delete("a");
        assertThat(reader.exists("a")).isFalse();
    }

    @Test
    void commitIsAllOrNothingAfterCrashAtEachStep() {
        java.util.Set<CommitStep> crashedSteps = java.util.EnumSet.noneOf(CommitStep.class);
        for (int crashAt = 1; ; crashAt++) {
            String container = "crash-" + crashAt;
            OpenViewStore before = open();
            ViewContainer views = before.container(container);
            views.commit(List.of(views.change("a", new Counter("a", 1)), views.change("b", new Counter("b", 1)),
                    views.change("c", new Counter("c", 1))), Checkpoint.at(1));
            before.close();

            CrashAtStep crash = new CrashAtStep(crashAt);
            OpenViewStore crashing = open(ViewStoreOptions.defaults().withJournalLimitBytes(0), crash);
            ViewContainer doomed = crashing.container(container);
            try {
                doomed.commit(List.of(doomed.change("a", new Counter("a", 2)), doomed.change("b", new Counter("b", 2)),
                        ViewChange.delete("c"), doomed.change("d", new Counter("d", 2))), Checkpoint.at(2));
                crashing.flush(); // the steps after the commit point run in a flush pass where views are written behind
            } catch (CrashAtStep.Crash expected) {
                // the process "died" here
            }
            crashing.abandon();

            ViewContainer after = open().container(container);
            Map<String, Counter> state = new HashMap<>();
            for (String key : List.of("a", "b", "c", "d")) {
                state.put(key, after.read(key, Counter.class));
            }
            Map<String, Counter> expected = new HashMap<>();
            // Every step is after the journal entry became durable, so every crash completes the commit.
            expected.put("a", new Counter("a", 2));
            expected.put("b", new Counter("b", 2));
            expected.put("c", null);
            expected.put("d", new Counter("d", 2));
            assertThat(state).as("views after a crash at step %d (%s)", crashAt, crash.crashedAt).isEqualTo(expected);
            assertThat(after.readCheckpoint()).as("checkpoint after a crash at step %d", crashAt).isEqualTo(Checkpoint.at(2));
            if (crash.crashedAt == null) {
                assertThat(crashedSteps).as("a crash was injected at every kind of step")
                        .containsExactlyInAnyOrderElementsOf(stepsOfACommit());
                return;
            }
            crashedSteps.add(crash.crashedAt);
        }
    }

    @Test
    void aCommitWhoseJournalEntryFailsLeavesTheOldStateAndIsRefused() {
        OpenViewStore store = open();
        ViewContainer views = store.container("views");
        views.commit(List.of(views.change("a", new Counter("a", 1))), Checkpoint.at(1));
        store.close();

        OpenViewStore failing = ViewStores.open(location(), new WrappedBackend(real(), container -> new ForwardingContainer(container) {
            @Override
            public void appendJournal(byte[] entry) throws java.io.IOException {
                throw new java.io.IOException("disk full");
            }

            @Override // the commit point of a backend that commits atomically
            public Map<String, io.dataplatform.views.spi.DocumentVersion> commit(Map<String, byte[]> changes,
                    byte[] checkpoint) throws java.io.IOException {
                throw new java.io.IOException("disk full");
            }
        }, false), ViewStoreOptions.defaults(), CommitHook.NONE, System::nanoTime);
        opened.add(failing);
        ViewContainer broken = failing.container("views");
        assertThatThrownBy(() -> broken.commit(List.of(broken.change("a", new Counter("a", 2))), Checkpoint.at(2)))
                .isInstanceOf(ViewStoreException.class)
                .hasMessageContaining("container 'views'")
                .hasMessageContaining("disk full");
        failing.abandon();

        ViewContainer after = open().container("views");
        assertThat(after.read("a", Counter.class)).isEqualTo(new Counter("a", 1));
        assertThat(after.readCheckpoint()).isEqualTo(Checkpoint.at(1));
    }

    /** The steps a commit goes through on this backend: all of them, unless its commits are atomic by themselves. */
    java.util.Set<CommitStep> stepsOfACommit() {
        return java.util.EnumSet.allOf(CommitStep.class);
    }

    @Test
    void containersListsEveryContainerAWriterMade() {
        OpenViewStore store = open();
        assertThat(store.containers()).isEmpty();
        store.container("beta-1").write("a", new Counter("a", 1));
        store.container("alpha");
        store.reader("gamma").exists("a"); // a reader makes no container
        assertThat(store.containers()).containsExactly("alpha", "beta-1");
        assertThat(open().containers()).as("another store at the location").containsExactly("alpha", "beta-1");
    }

    @Test
    void dropContainerDeletesEveryViewAndTheCheckpointOfThatContainerOnly() {
        OpenViewStore store = open();
        for (String name : List.of("doomed", "kept")) {
            ViewContainer views = store.container(name);
            views.commit(List.of(views.change("a", new Counter(name, 1)), views.change("b/c", new Counter(name, 2))),
                    Checkpoint.at(5));
        }
        ViewReader reader = store.reader("doomed");
        assertThat(reader.read("a", Counter.class)).isEqualTo(new Counter("doomed", 1)); // cached

        store.dropContainer("doomed");

        assertThat(store.containers()).containsExactly("kept");
        ViewReader after = store.reader("doomed");
        assertThat(after.exists("a")).isFalse();
        assertThat(keys(after, "")).isEmpty();
        assertThat(after.readCheckpoint()).isNull();
        ViewContainer again = store.container("doomed");
        assertThat(again.exists("a")).isFalse();
        assertThat(again.readCheckpoint()).isNull();
        assertThat(keys(again, "")).isEmpty();
        ViewContainer kept = store.container("kept");
        assertThat(kept.read("b/c", Counter.class)).isEqualTo(new Counter("kept", 2));
        assertThat(kept.readCheckpoint()).isEqualTo(Checkpoint.at(5));
        store.close();

        OpenViewStore reopened = open();
        assertThat(reopened.containers()).containsExactlyInAnyOrder("doomed", "kept");
        assertThat(keys(reopened.reader("doomed"), "")).isEmpty();
        assertThat(reopened.reader("doomed").readCheckpoint()).isNull();
    }

    @Test
    void aDroppedContainerWrittenAgainHoldsOnlyTheNewViews() {
        OpenViewStore store = open();
        ViewContainer views = store.container("views");
        views.commit(List.of(views.change("old", new Counter("old", 1)), views.change("both", new Counter("both", 1))),
                Checkpoint.at(1));
        OpenViewStore other = open();
        ViewReader otherReader = other.reader("views");
        // the other store sees committed views within the visibility bound, not at once (write-behind)
        Await.until(java.time.Duration.ofSeconds(10), "the other store sees the first commit",
                () -> new Counter("old", 1).equals(otherReader.read("old", Counter.class)));
        store.dropContainer("views");
        assertThatThrownBy(() -> views.write("late", new Counter("late", 1)))
                .as("a handle from before the drop").isInstanceOf(ViewStoreException.class);

        ViewContainer fresh = store.container("views");
        fresh.commit(List.of(fresh.change("both", new Counter("both", 2))), Checkpoint.at(1));
        assertThat(fresh.exists("old")).isFalse();
        assertThat(keys(fresh, "")).containsExactly("both");
        // another store (another process) sees the new container within the bound: no resurrected view, no stale one
        Await.until(java.time.Duration.ofSeconds(10), "the other store sees the container made anew",
                () -> !otherReader.exists("old") && new Counter("both", 2).equals(otherReader.read("both", Counter.class)));
    }

    @Test
    void dropContainerIsRefusedWhileAnotherStoreWritesIt() {
        OpenViewStore writer = open();
        writer.container("views").write("a", new Counter("a", 1));
        OpenViewStore other = open();
        assertThatThrownBy(() -> other.dropContainer("views"))
                .isInstanceOf(ViewStoreException.class)
                .hasMessageContaining("views")
                .hasMessageContaining("already written");
        assertThat(writer.container("views").read("a", Counter.class)).isEqualTo(new Counter("a", 1));
        writer.close();
        assertThat(other.container("views").read("a", Counter.class)).as("nothing was dropped").isEqualTo(new Counter("a", 1));
    }

    @Test
    void droppingAMissingContainerDoesNothing() {
        OpenViewStore store = open();
        store.dropContainer("never-made");
        assertThat(store.containers()).isEmpty();
        assertThatThrownBy(() -> store.dropContainer("Bad--Name")).isInstanceOf(InvalidViewKeyException.class);
    }

    @Test
    void releaseContainerLetsAnotherStoreWriteItWhileTheStoreStaysOpen() {
        OpenViewStore first = open();
        ViewContainer views = first.container("views");
        views.commit(List.of(views.change("a", new Counter("a", 1))), Checkpoint.at(1));
        ViewContainer other = first.container("other");
        other.write("x", new Counter("x", 1));

        first.releaseContainer("views");

        assertThatThrownBy(() -> views.write("b", new Counter("b", 1))).isInstanceOf(ViewStoreException.class)
                .hasMessageContaining("released");
        OpenViewStore second = open();
        ViewContainer taken = second.container("views");
        assertThat(taken.read("a", Counter.class)).as("what the released writer committed").isEqualTo(new Counter("a", 1));
        assertThat(taken.readCheckpoint()).isEqualTo(Checkpoint.at(1));
        taken.write("a", new Counter("a", 2));
        assertThatThrownBy(() -> first.container("views")).isInstanceOf(ViewStoreException.class)
                .hasMessageContaining("already written");
        other.write("x", new Counter("x", 2));
        assertThat(other.read("x", Counter.class)).as("the store's other containers stay open").isEqualTo(new Counter("x", 2));
        second.releaseContainer("views");
        assertThat(first.container("views").read("a", Counter.class)).isEqualTo(new Counter("a", 2));
        first.releaseContainer("not-open"); // nothing to do
    }

    /**
     * For backends keeping a container as a directory under {@code root}: a drop cut short after its
     * rename (the drop's commit point), with part of the renamed tree deleted, leaves no container
     * and nothing of the old one; the leftover goes when a store opens.
     */
    void checkAnInterruptedDropLeavesNoContainer(java.nio.file.Path root) throws java.io.IOException {
        OpenViewStore store = open();
        ViewContainer views = store.container("half");
        views.commit(List.of(views.change("a", new Counter("a", 1)), views.change("b", new Counter("b", 1))),
                Checkpoint.at(3));
        store.close();
        java.nio.file.Path aside = io.dataplatform.views.spi.ContainerDirectories.moveAside(root.resolve("half"));
        List<java.nio.file.Path> files;
        try (Stream<java.nio.file.Path> all = java.nio.file.Files.walk(aside)) {
            files = all.filter(java.nio.file.Files::isRegularFile).sorted().toList();
        }
        for (int i = 0; i < files.size(); i += 2) {
            java.nio.file.Files.delete(files.get(i)); // the deletion, cut short
        }

        OpenViewStore after = open();
        assertThat(after.containers()).isEmpty();
        assertThat(after.reader("half").exists("a")).isFalse();
        ViewContainer again = after.container("half");
        assertThat(again.exists("a")).isFalse();
        assertThat(again.exists("b")).isFalse();
        assertThat(again.readCheckpoint()).isNull();
        assertThat(aside).as("the leftover of the drop").doesNotExist();
    }

    io.dataplatform.views.spi.ViewBackend real() {
        try {
            return WrappedBackend.real(location());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<String> keys(ViewReader views, String prefix) {
        try (Stream<String> keys = views.keys(prefix)) {
            return keys.toList();
        }
    }

    /** Throws at the n-th step reached, once. */
    static final class CrashAtStep implements CommitHook {
        static final class Crash extends Error {
            private static final long serialVersionUID = 1L;

            Crash(String message) {
                super(message);
            }
        }

        private final int crashAt;
        private int reached;
        CommitStep crashedAt;

        CrashAtStep(int crashAt) {
            this.crashAt = crashAt;
        }

        @Override
        public void reached(CommitStep step) {
            if (++reached == crashAt) {
                crashedAt = step;
                throw new Crash("crash injected at " + step);
            }
        }
    }
}
