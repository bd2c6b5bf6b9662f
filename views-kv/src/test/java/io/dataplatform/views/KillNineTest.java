package io.dataplatform.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import io.dataplatform.testing.azurite.Azurite;
import io.dataplatform.testing.azurite.AzuriteExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real writer process killed with SIGKILL at a random moment, again and again: after each kill,
 * views and checkpoint agree exactly (every batch up to the checkpoint applied once, none after).
 */
class KillNineTest {

    @TempDir
    Path temp;

    /** The location the writer process writes: a file store unless a test says otherwise. */
    private String location;

    @Test
    void viewsAndCheckpointAgreeExactlyAfterKillNine() throws Exception {
        killRepeatedly(Integer.getInteger("views.killCycles", 5));
    }

    @Test
    void rocksdbViewsAndCheckpointAgreeExactlyAfterKillNine() throws Exception {
        location = "rocksdb:" + temp.resolve("views");
        killRepeatedly(Integer.getInteger("views.killCycles", 5));
    }

    @Test
    @Tag("slow")
    void rocksdbViewsAndCheckpointAgreeExactlyAfterManyKillNines() throws Exception {
        location = "rocksdb:" + temp.resolve("views");
        killRepeatedly(Integer.getInteger("views.killCycles", 100));
    }

    @Test
    @ExtendWith(AzuriteExtension.class)
    void azureViewsAndCheckpointAgreeExactlyAfterKillNine(Azurite azurite) throws Exception {
        location = azurite.location(azurite.uniqueContainer("kill-nine"));
        killRepeatedly(Integer.getInteger("views.killCycles", 3)); // every batch is a few requests to the emulator

    }

    @Test
    void viewsAndCheckpointAgreeExactlyAfterKillNineWhileViewsAreDirty() throws Exception {
        killRepeatedly(3, "dirty");
    }

    @Test
    @Tag("slow")
    void viewsAndCheckpointAgreeExactlyAfterManyKillNines() throws Exception {
        killRepeatedly(Integer.getInteger("views.killCycles", 100));
    }

    private void killRepeatedly(int cycles, String... childArgs) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String location = this.location != null ? this.location : temp.resolve("views").toString();
        long checkpoint = 0;
        System.out.println("views kill loop: " + ViewStores.redacted(location) + ", seed " + seed + ", " + cycles + " cycles");
        for (int cycle = 1; cycle <= cycles; cycle++) {
            Process child = ChildJvm.start(temp.resolve("child-" + cycle + ".log"), CounterWriterMain.class,
                    java.util.stream.Stream.concat(java.util.stream.Stream.of(location), java.util.Arrays.stream(childArgs))
                            .toArray(String[]::new));
            long target = checkpoint + 1 + random.nextInt(100);
            try (ViewStore watcher = ViewStores.open(location)) {
                ViewReader views = watcher.reader("counters");
                Await.until(Duration.ofSeconds(60), "the writer passes batch " + target + " (seed " + seed + ")", () -> {
                    Checkpoint now = views.readCheckpoint();
                    return now != null && now.position() >= target || !child.isAlive();
                });
                assertThat(child.isAlive()).as("seed %d: the writer runs (see %s)", seed, temp).isTrue();
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(random.nextInt(20_000))); // a random moment
            } finally {
                ChildJvm.stop(child); // SIGKILL
            }
            checkpoint = verify(location, seed, cycle);
            assertThat(checkpoint).as("seed %d: progress survives the kill", seed).isGreaterThanOrEqualTo(target);
        }
        System.out.println("views kill loop: seed " + seed + ", cycles " + cycles + ", batches committed " + checkpoint
                + ", views and checkpoint agree after every kill");
    }

    /** Opens as the writer (recovering what the kill interrupted) and checks every view against the checkpoint. */
    private static long verify(String location, long seed, int cycle) {
        try (ViewStore store = ViewStores.open(location)) {
            ViewContainer views = store.container("counters");
            long batches = views.readCheckpoint().position();
            for (int i = 0; i < CounterWriterMain.COUNTERS; i++) {
                assertThat(views.read("counters/" + i, Long.class))
                        .as("seed %d, cycle %d, checkpoint %d: counters/%d", seed, cycle, batches, i)
                        .isEqualTo(batches / (i + 1) == 0 ? null : batches / (i + 1));
            }
            for (int slot = 0; slot < CounterWriterMain.SLOTS; slot++) {
                long written = batches - Math.floorMod(batches - slot, CounterWriterMain.SLOTS);
                long deleted = batches - Math.floorMod(batches - slot + CounterWriterMain.SLOTS / 2, CounterWriterMain.SLOTS);
                assertThat(views.read("batches/" + slot, Long.class))
                        .as("seed %d, cycle %d, checkpoint %d: batches/%d", seed, cycle, batches, slot)
                        .isEqualTo(written <= 0 || deleted > written ? null : written);
            }
            return batches;
        }
    }
}
