package io.dataplatform.projections;

import io.dataplatform.store.StoreId;
import io.dataplatform.views.Checkpoint;
import io.dataplatform.views.FencedCommitException;
import io.dataplatform.views.ViewChange;
import io.dataplatform.views.ViewContainer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The commit step of a runner: every view a batch changed together with the checkpoint after it,
 * in one atomic {@link ViewContainer#commit}, fenced by the runner's writer epoch. The checkpoint's
 * metadata names the store, the store version reached and the store's incarnation, which is how a
 * restarted runner knows where it is and refuses a checkpoint of another store or incarnation.
 * Stateless; used from the runner's thread.
 */
final class BatchCommit {

    static final String META_STORE = "store";
    static final String META_INCARNATION = "incarnation";
    static final String META_VERSION = "version";

    private final String name;
    private final StoreId store;
    private final String containerName;

    BatchCommit(String name, StoreId store, String containerName) {
        this.name = name;
        this.store = store;
        this.containerName = containerName;
    }

    /** The checkpoint at {@code at} (store version {@code atVersion}) of {@code incarnation}, committed in {@code epoch}. */
    Checkpoint checkpoint(long at, long atVersion, String incarnation, long epoch) {
        Map<String, String> metadata = new HashMap<>();
        metadata.put(META_STORE, store.value());
        metadata.put(META_VERSION, Long.toString(atVersion));
        if (incarnation != null) {
            metadata.put(META_INCARNATION, incarnation);
        }
        return new Checkpoint(at, metadata, epoch);
    }

    /**
     * Commits {@code changes} with {@code next}, for the batch read from {@code from}; returns the
     * nanoseconds it took.
     *
     * @throws RunnerFailures.Superseded if a newer runner began an epoch on the container: nothing was written
     * @throws RunnerFailures.CommitFailure if the commit failed otherwise
     */
    long commit(ViewContainer container, List<ViewChange> changes, Checkpoint next, long from) {
        long start = System.nanoTime();
        try {
            container.commit(changes, next);
        } catch (FencedCommitException e) {
            throw new RunnerFailures.Superseded("projection '" + name + "' no longer writes container '" + containerName
                    + "': a newer runner took it over (epoch " + e.current() + ", this runner's " + e.epoch()
                    + "); the batch from position " + from + " was not committed", e);
        } catch (RuntimeException e) {
            throw new RunnerFailures.CommitFailure("projection '" + name + "' could not commit " + changes.size()
                    + " view(s) with checkpoint " + next.position() + " of container '" + containerName + "': "
                    + RunnerFailures.describe(e), from, e);
        }
        return System.nanoTime() - start;
    }

    static long parseLong(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
