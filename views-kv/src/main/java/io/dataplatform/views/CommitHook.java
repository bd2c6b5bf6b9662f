package io.dataplatform.views;

/**
 * Test seam: called after each {@link CommitStep} of a commit, under the container's write lock.
 * Crash tests throw from it to stop a commit exactly there, then abandon the store and reopen.
 */
@FunctionalInterface
interface CommitHook {

    CommitHook NONE = step -> { };

    void reached(CommitStep step);
}
