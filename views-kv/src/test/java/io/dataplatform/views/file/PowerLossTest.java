package io.dataplatform.views.file;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.views.Checkpoint;
import io.dataplatform.views.TestSeams;
import io.dataplatform.views.ViewChange;
import io.dataplatform.views.ViewContainer;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStoreOptions;
import io.dataplatform.views.ViewStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A power loss may lose or tear any file not fsynced since it was written (the view store syncs
 * view files in bulk, not one by one). Here a crash is injected at every step of a run of
 * commits; the test sees every fsync the backend makes, and every sync of the whole file system
 * that replaces them (through {@link FileSync.Forced}), and keeps, for each file, what it held
 * when last made durable; then every file that differs from that is kept, rolled back or torn at
 * random: after reopening, views and checkpoint must be exactly those of the last commit whose
 * journal entry was written. Both ways of syncing are run: an fsync per file, and one file-system
 * sync per bulk sync (where the machine can).
 */
class PowerLossTest {

    private static final List<String> KEYS = List.of("k0", "k1", "deep/k2", "deep/er/k3", "sometimes");
    private static final int COMMITS = 6;
    /** About two journal entries: the journal is dropped every second commit or so. */
    private static final int JOURNAL_LIMIT = 400;

    @TempDir
    Path temp;

    /**
     * View files are written behind the commits, in flush passes; here the test runs the passes,
     * after every commit or only after some (so that power is lost while views of several commits
     * are dirty, written nowhere but in the journal).
     */
    @ParameterizedTest(name = "flush after commits {0}, file-system sync {1}")
    @CsvSource(delimiter = '|', value = {"1,2,3,4,5,6 | false", "2,4,6 | false", "1,2,3,4,5,6 | true", "2,4,6 | true"})
    void viewsAndCheckpointAreExactAfterPowerLossAtEachStep(String flushAfter, boolean fileSystemSync) throws IOException {
        if (fileSystemSync) {
            Assumptions.assumeTrue(FileSync.fileSystemSyncAvailable(), "this machine cannot sync a file system (syncfs)");
        }
        int[] fileSystemSyncs = {0};
        Set<Integer> flushes = new HashSet<>();
        for (String commit : flushAfter.split(",")) {
            flushes.add(Integer.parseInt(commit));
        }
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Map<String, Integer> crashes = new HashMap<>();
        for (int crashAt = 1; ; crashAt++) {
            String location = temp.resolve("run-" + crashAt).toString();
            Path container = Path.of(location, "power");
            try (ViewStore initial = ViewStores.open(location)) {
                initial.container("power").commit(List.of(), Checkpoint.at(0));
            }

            Map<Path, byte[]> durable = new java.util.concurrent.ConcurrentHashMap<>(files(container));
            int[] journaled = {0};
            int[] current = {0};
            int[] reached = {0};
            int stopAt = crashAt;
            FileSync.Forced forced = new FileSync.Forced() {
                @Override
                public void forced(Path path) {
                    if (Files.isDirectory(path)) { // deletions in it are durable now
                        durable.keySet().removeIf(file -> file.getParent().equals(path) && !Files.exists(file));
                    } else if (files(container).containsKey(path)) {
                        durable.put(path, files(container).get(path));
                    }
                }

                @Override
                public void fileSystemSynced(Path dir) { // every file as it is now, deletions included
                    assertThat(container).as("the file system synced holds the container").startsWith(dir);
                    fileSystemSyncs[0]++;
                    durable.clear();
                    durable.putAll(files(container));
                }
            };
            java.util.function.Consumer<String> hook = step -> {
                if (step.equals("JOURNAL_WRITTEN")) {
                    journaled[0] = current[0];
                }
                if (++reached[0] == stopAt) {
                    crashes.merge(step, 1, Integer::sum);
                    throw new Crash("power lost at " + step);
                }
            };
            FileBackend backend = new FileBackend(Path.of(location), forced, fileSystemSync ? 1 : Integer.MAX_VALUE);
            ViewStore store = TestSeams.openFlushingOnDemand(location, backend,
                    ViewStoreOptions.defaults().withJournalLimitBytes(JOURNAL_LIMIT), hook);
            boolean crashed = false;
            try {
                ViewContainer views = store.container("power");
                for (int commit = 1; commit <= COMMITS; commit++) {
                    current[0] = commit;
                    views.commit(changes(commit), Checkpoint.at(commit));
                    if (flushes.contains(commit)) {
                        TestSeams.flush(store);
                    }
                }
            } catch (Crash expected) {
                crashed = true;
            }
            TestSeams.abandon(store);
            loseUnsyncedWrites(container, durable, random);

            ViewStore reopened = ViewStores.open(location);
            ViewContainer after = reopened.container("power");
            int expected = crashed ? journaled[0] : COMMITS;
            for (String key : KEYS) {
                assertThat(after.readBytes(key) == null ? null : new String(after.readBytes(key), UTF_8))
                        .as("seed %d, crash at step %d: view %s", seed, crashAt, key)
                        .isEqualTo(expectedView(key, expected));
            }
            assertThat(after.readCheckpoint()).as("seed %d, crash at step %d: checkpoint", seed, crashAt)
                    .isEqualTo(Checkpoint.at(expected));
            reopened.close();
            if (!crashed) {
                assertThat(crashes).as("crashes injected at every kind of step, along several bulk syncs")
                        .containsOnlyKeys("JOURNAL_WRITTEN", "VIEW_WRITTEN", "CHECKPOINT_WRITTEN", "VIEWS_SYNCED", "JOURNAL_DROPPED")
                        .hasEntrySatisfying("VIEWS_SYNCED", count -> assertThat(count).isGreaterThanOrEqualTo(2))
                        .hasEntrySatisfying("JOURNAL_DROPPED", count -> assertThat(count).isGreaterThanOrEqualTo(2));
                if (fileSystemSync) {
                    assertThat(fileSystemSyncs[0]).as("bulk syncs made by syncing the file system").isGreaterThanOrEqualTo(2);
                }
                return;
            }
        }
    }

    @Test
    void aTornJournalEntryIsACommitThatNeverHappened() throws IOException {
        String location = temp.toString();
        try (ViewStore first = ViewStores.open(location)) {
            first.container("power").commit(changes(1), Checkpoint.at(1));
        }
        ViewStore store = TestSeams.open(location, new FileBackend(Path.of(location)), ViewStoreOptions.defaults(), step -> {
            throw new Crash("power lost while syncing the journal");
        });
        try {
            store.container("power").commit(changes(2), Checkpoint.at(2));
        } catch (Crash expected) {
            // the entry was written but, as far as the disk knows, not all of it
        }
        TestSeams.abandon(store);
        Path journal = temp.resolve("power/journal.log");
        try (var channel = java.nio.channels.FileChannel.open(journal, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 7);
        }

        ViewStore reopened = ViewStores.open(location);
        ViewContainer after = reopened.container("power");
        for (String key : KEYS) {
            assertThat(after.readBytes(key) == null ? null : new String(after.readBytes(key), UTF_8)).as(key)
                    .isEqualTo(expectedView(key, 1));
        }
        assertThat(after.readCheckpoint()).isEqualTo(Checkpoint.at(1));
        assertThat(Files.size(journal)).as("the torn tail is cut away").isZero();
        reopened.close();
    }

    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;

        Crash(String message) {
            super(message);
        }
    }

    /** Commit n writes every key with n, and deletes "sometimes" in even commits. */
    private static List<ViewChange> changes(int commit) {
        List<ViewChange> changes = new ArrayList<>();
        for (String key : KEYS) {
            changes.add(key.equals("sometimes") && commit % 2 == 0 ? ViewChange.delete(key) : ViewChange.write(key,
                    ("{\"key\":\"" + key + "\",\"commit\":" + commit + "}").getBytes(UTF_8)));
        }
        return changes;
    }

    private static String expectedView(String key, int commit) {
        if (commit == 0 || key.equals("sometimes") && commit % 2 == 0) {
            return null;
        }
        return "{\"key\":\"" + key + "\",\"commit\":" + commit + "}";
    }

    /** Every file changed since the last sync is kept, rolled back to its synced state, or torn. */
    private static void loseUnsyncedWrites(Path container, Map<Path, byte[]> durable, Random random) throws IOException {
        Map<Path, byte[]> now = files(container);
        Set<Path> paths = new HashSet<>(now.keySet());
        paths.addAll(durable.keySet());
        for (Path path : paths.stream().sorted().toList()) {
            byte[] before = durable.get(path);
            byte[] after = now.get(path);
            if (java.util.Arrays.equals(before, after)) {
                continue;
            }
            switch (random.nextInt(3)) {
                case 0 -> { } // the write reached the disk
                case 1 -> { // it did not
                    if (before == null) {
                        Files.delete(path);
                    } else {
                        Files.createDirectories(path.getParent());
                        Files.write(path, before);
                    }
                }
                default -> { // half of it did
                    if (after != null) {
                        Files.write(path, java.util.Arrays.copyOf(after, after.length / 2));
                    }
                }
            }
        }
    }

    /** View files and the checkpoint: what the store does not sync at once. The journal is synced on every append. */
    private static Map<Path, byte[]> files(Path container) {
        Map<Path, byte[]> files = new HashMap<>();
        try (Stream<Path> all = Files.walk(container)) {
            for (Path path : all.filter(Files::isRegularFile).toList()) {
                String name = path.getFileName().toString();
                if (!name.equals("journal.log") && !name.equals("writer.lock") && !path.getParent().endsWith("tmp")) {
                    files.put(path, Files.readAllBytes(path));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }
}
