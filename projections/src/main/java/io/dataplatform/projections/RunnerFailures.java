package io.dataplatform.projections;

/** The ways a runner's attempt at a batch, or its whole run, ends other than by success. */
final class RunnerFailures {

    private RunnerFailures() {
    }

    /** Thrown on the runner's thread to leave the loop when asked to stop. */
    static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super(null, null, false, false);
        }
    }

    /**
     * Ends the run STOPPED: a newer runner began a writer epoch on the container (this one was given
     * up while still running), so nothing of this one may be committed any more.
     */
    static final class Superseded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Superseded(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Ends the run FAILED, without retries. */
    static final class Fatal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long position;

        Fatal(String message, long position, Throwable cause) {
            super(message, cause);
            this.position = position;
        }
    }

    /** A failure of one attempt at a batch, with the position of the event concerned. */
    static class AttemptFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long position;

        AttemptFailure(String message, long position, Throwable cause) {
            super(message, cause);
            this.position = position;
        }
    }

    /** A view commit that failed: whether it took effect is known once the container is reopened. */
    static final class CommitFailure extends AttemptFailure {
        private static final long serialVersionUID = 1L;

        CommitFailure(String message, long position, Throwable cause) {
            super(message, position, cause);
        }
    }

    /** The exception's message, or its class name when it has none. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + message;
    }
}
