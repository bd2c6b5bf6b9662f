package io.dataplatform.views;

/**
 * A commit refused because its checkpoint carries an older writer epoch than the container's
 * checkpoint: a newer writer {@linkplain ViewContainer#beginEpoch() began an epoch} since. Nothing
 * of the commit was written, and the container stays usable for the newer writer. The refused
 * writer must stop: every later commit of its epoch is refused too.
 */
public final class FencedCommitException extends ViewStoreException {

    private static final long serialVersionUID = 1L;

    private final long epoch;
    private final long current;

    public FencedCommitException(String container, long epoch, long current) {
        super(container, null, "a commit of writer epoch " + epoch + " was refused: the checkpoint belongs to epoch "
                + current + " (a newer writer took the container over); nothing was written");
        this.epoch = epoch;
        this.current = current;
    }

    /** The epoch of the refused commit. */
    public long epoch() {
        return epoch;
    }

    /** The epoch of the container's checkpoint. */
    public long current() {
        return current;
    }
}
