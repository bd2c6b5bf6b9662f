package io.dataplatform.views;

import java.util.ArrayList;
import java.util.List;

/**
 * Child process of {@link KillNineTest}: a projection in miniature. Batch {@code n} (its
 * checkpoint) adds one to counter {@code counters/i} for every {@code i < 20} with
 * {@code n % (i + 1) == 0}, and writes {@code n} to {@code batches/(n % 50)}; all in one
 * commit. So after batch {@code N}: counter {@code i} = {@code N / (i + 1)}, exactly, and any
 * double or missing application shows. Runs until killed.
 */
public final class CounterWriterMain {

    static final int COUNTERS = 20;
    static final int SLOTS = 50;

    private CounterWriterMain() {
    }

    public static void main(String[] args) {
        ViewStore store = ViewStores.open(args[0], ViewStoreOptions.defaults().withJournalLimitBytes(16 * 1024));
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
            views.commit(changes, Checkpoint.at(batch));
        }
    }
}
