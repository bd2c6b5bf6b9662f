package io.dataplatform.views;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the {@code rocksdb} backend, plus what only RocksDB shows. */
class RocksViewStoreTest extends ViewStoreContract {

    @TempDir
    Path temp;

    @Override
    String location() {
        return "rocksdb:" + temp.resolve("root");
    }

    /** One synced write batch is the whole commit: there is no step between the commit point and the end. */
    @Override
    Set<CommitStep> stepsOfACommit() {
        return EnumSet.of(CommitStep.JOURNAL_WRITTEN);
    }

    @Test
    void anInterruptedDropLeavesNoContainer() throws IOException {
        checkAnInterruptedDropLeavesNoContainer(temp.resolve("root"));
    }

    @Test
    void eachContainerIsOneDatabaseAndNoJournalIsWritten() {
        ViewContainer views = open().container("chat");
        views.commit(List.of(views.change("users/42", new Counter("ann", 7))), Checkpoint.at(99));
        Path dir = temp.resolve("root/chat");
        assertThat(dir.resolve("CURRENT")).exists();
        assertThat(dir.resolve("journal.log")).doesNotExist();
        assertThat(dir.resolve("views")).doesNotExist();
    }

    @Test
    void keysAreListedAcrossPages() {
        ViewContainer views = open().container("views");
        List<ViewChange> changes = new ArrayList<>();
        int count = 2_500; // more than two pages of listing
        for (int i = 0; i < count; i++) {
            changes.add(ViewChange.write("k/" + i, "{}".getBytes(UTF_8)));
        }
        changes.add(ViewChange.write("l/0", "{}".getBytes(UTF_8)));
        views.commit(changes, Checkpoint.at(1));
        List<String> listed = keys(views, "k/");
        assertThat(listed).hasSize(count).doesNotHaveDuplicates().allMatch(key -> key.startsWith("k/"));
        assertThat(keys(views, "")).hasSize(count + 1);
        assertThat(keys(open().reader("views"), "k/")).as("through a secondary instance").hasSize(count);
    }

    @Test
    void aReaderOfAnotherStoreFollowsCommitsAndDeletes() {
        OpenViewStore writerStore = open();
        ViewContainer views = writerStore.container("views");
        views.write("a", new Counter("a", 1));
        OpenViewStore readerStore = open();
        ViewReader reader = readerStore.reader("views");
        assertThat(reader.read("a", Counter.class)).isEqualTo(new Counter("a", 1));
        writerStore.close(); // from here the reader reads its own secondary instance
        OpenViewStore next = open();
        ViewContainer again = next.container("views");
        again.commit(List.of(again.change("a", new Counter("a", 2)), again.change("b", new Counter("b", 1))), Checkpoint.at(2));
        again.delete("b");
        // (the writer is in this JVM, so the reader reads through it; closing it sends the reader to its secondary)
        next.close();
        Await.until(java.time.Duration.ofSeconds(10), "the reader sees the last commit",
                () -> new Counter("a", 2).equals(reader.read("a", Counter.class)) && !reader.exists("b"));
        assertThat(reader.readCheckpoint()).isEqualTo(Checkpoint.at(2));
    }

    @Test
    void badTuningParametersAreRefusedNamingThem() {
        for (String parameters : List.of("?blockCache=1", "?blockCacheMiB=x", "?compression=brotli", "?writeBufferMiB=512")) {
            String location = location() + parameters;
            assertThatThrownBy(() -> ViewStores.open(location)).as(parameters)
                    .isInstanceOf(ViewStoreException.class).hasMessageContaining("rocksdb");
        }
        try (ViewStore store = ViewStores.open(location() + "?blockCacheMiB=16&writeBufferMiB=8&bloomBits=0&compression=zstd")) {
            store.container("tuned").write("a", 1);
            assertThat(store.container("tuned").read("a", Integer.class)).isEqualTo(1);
        }
    }

    @Test
    void aReaderLeavesNoTemporaryDirectoryBehind() throws IOException {
        ViewContainer views = open().container("views");
        views.write("a", 1);
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = readerDirs(tmp);
        try (ViewStore other = ViewStores.open(location())) {
            other.reader("views").readCheckpoint();
        }
        // the same JVM's writer serves reads, yet a checkpoint read catches up a secondary instance only when there is no writer
        assertThat(readerDirs(tmp)).containsExactlyInAnyOrderElementsOf(before);
    }

    private static List<Path> readerDirs(Path tmp) throws IOException {
        try (Stream<Path> all = Files.list(tmp)) {
            return all.filter(path -> path.getFileName().toString().startsWith("views-rocksdb-reader")).toList();
        }
    }
}
