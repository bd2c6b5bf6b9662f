package io.dataplatform.projections;

import io.dataplatform.store.CommitPointer;

/**
 * What a runner has done, as its status shows it: state, checkpoint, the store's head as last
 * seen, events applied and skipped, rate, last error. Written by the runner's thread only; read
 * from any thread ({@link #status}).
 */
final class RunnerProgress {

    private final String name;
    private final EventRate rate = new EventRate();
    private volatile ProjectionState state = ProjectionState.STARTING;
    private volatile long position;
    private volatile long version;
    private volatile CommitPointer head = CommitPointer.EMPTY;
    private volatile long applied;
    private volatile long skipped;
    private volatile String error;
    private volatile long errorPosition = -1;

    RunnerProgress(String name) {
        this.name = name;
    }

    ProjectionStatus status() {
        CommitPointer seen = head;
        return new ProjectionStatus(name, state, position, version, seen.position(), seen.version(), applied, skipped,
                rate.perSecond(System.nanoTime()), error, errorPosition);
    }

    ProjectionState state() {
        return state;
    }

    void state(ProjectionState value) {
        state = value;
    }

    /** The checkpoint: the position after the last event applied. */
    long position() {
        return position;
    }

    long version() {
        return version;
    }

    CommitPointer head() {
        return head;
    }

    /** Where reading resumes (a checkpoint read or reset), and the store's commit pointer now. */
    void resumeAt(long at, long atVersion) {
        position = at;
        version = atVersion;
    }

    void head(CommitPointer pointer) {
        head = pointer;
    }

    /** A commit pointer seen: the head moves forward only. */
    void seeHead(CommitPointer pointer) {
        if (pointer.position() > head.position()) {
            head = pointer;
        }
    }

    /** A batch committed with its checkpoint. */
    void committed(int events, int skippedEvents, long next, long lastVersion) {
        position = next;
        version = lastVersion;
        seeHead(new CommitPointer(next, lastVersion));
        applied += events;
        skipped += skippedEvents;
        rate.add(events, System.nanoTime());
    }

    String error() {
        return error;
    }

    void error(String message, long at) {
        error = message;
        errorPosition = at;
    }

    void clearError() {
        error = null;
        errorPosition = -1;
    }
}
