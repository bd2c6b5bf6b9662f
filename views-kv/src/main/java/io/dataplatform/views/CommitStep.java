package io.dataplatform.views;

/**
 * The steps of a commit, in order, at which a {@link CommitHook} is called (test seam). With views
 * written behind the commits, every step after {@link #JOURNAL_WRITTEN} happens in a flush pass,
 * once per pass (which may cover several commits) rather than once per commit.
 */
enum CommitStep {
    /** The journal entry holding every change and the checkpoint is durable: the commit point. */
    JOURNAL_WRITTEN,
    /** One more view was written or deleted (called once per distinct key). */
    VIEW_WRITTEN,
    /** The checkpoint was written (only when the commit carries one). */
    CHECKPOINT_WRITTEN,
    /** Every view and checkpoint written since the last drop is durable (only when the journal is dropped). */
    VIEWS_SYNCED,
    /** The journal entries were removed. */
    JOURNAL_DROPPED
}
