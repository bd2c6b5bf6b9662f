package io.dataplatform.views;

/**
 * Test seam: called after each {@link CommitStep} of a commit, from the committing thread or,
 * for the steps after the commit point of a write-behind container, from the thread running the
 * flush pass. Crash tests throw from it to stop a commit exactly there, then abandon the store and
 * reopen.
 */
@FunctionalInterface
interface CommitHook {

    CommitHook NONE = step -> { };

    void reached(CommitStep step);
}
