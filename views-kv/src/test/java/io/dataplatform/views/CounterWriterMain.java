package io.dataplatform.views;

import java.util.ArrayList;
import java.util.List;

/**
 * Child process of {@link KillNineTest}: a projection in miniature. Batch {@code n} (its
 * checkpoint) adds one to counter {@code counters/i} for every {@code i < 20} with
 * {@code n % (i + 1) == 0}, writes {@code n} to {@code batches/(n % 50)} and deletes
 * {@code batches/((n + 25) % 50)}; all in one commit. So after batch {@code N}: counter {@code i} =
 * {@code N / (i + 1)}, exactly, and a slot holds its last batch unless a later batch deleted it; any
 * double or missing application, or a deleted view come back, shows. Runs until killed. With {@code dirty}, flush passes run
 * only when the journal passes its limit, so a kill almost always finds views dirty (in memory
 * and the journal, not yet in their files).
 */
public final class CounterWriterMain {

    static final int COUNTERS = 20;
    static final int SLOTS = 50;

    private CounterWriterMain() {
    }

    /** {@code <location> [dirty]}: with {@code dirty}, view files are written only when the journal is dropped. */
    public static void main(String[] args) throws java.io.IOException {
        ViewStoreOptions options = ViewStoreOptions.defaults().withJournalLimitBytes(16 * 1024);
        ViewStore store = args.length > 1 && args[1].equals("dirty")
                ? ViewStores.open(args[0], WrappedBackend.real(args[0]), options, CommitHook.NONE, System::nanoTime,
                        new WriteBehind(java.time.Duration.ofHours(1), WriteBehind.DEFAULT_MAX_DIRTY_BYTES))
                : ViewStores.open(args[0], options);
        ViewContainer views = store.container("counters");
        Checkpoint checkpoint = views.readCheckpoint();
        long batch = checkpoint == null ? 0 : checkpoint.position();
        while (true) {
            batch++;
            List<ViewChange> changes = new ArrayList<>();
            for (int i = 0; i < COUNTERS; i++) {
                if (batch % (i + 1) == 0) {
                    String key = "counters/" + i;
                    changes.add(views.change(key, views.readOrNew(key, Long.class, () -> 0L) + 1));
                }
            }
            changes.add(views.change("batches/" + batch % SLOTS, batch));
            changes.add(ViewChange.delete("batches/" + (batch + SLOTS / 2) % SLOTS));
            views.commit(changes, Checkpoint.at(batch));
        }
    }
}
