package io.dataplatform.projections;

import io.dataplatform.rules.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The failure and retry policy of one runner: counts the failed attempts at a batch, shows the
 * error (and the position of the event concerned) in the status, and decides between a pause that
 * doubles before the next attempt and FAILED once the retries are spent. Runner's thread only.
 */
final class BatchRetries {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRetries.class);

    private final String name;
    private final Backoff backoff;
    private final RunnerProgress progress;
    private int attempts;

    BatchRetries(String name, Backoff backoff, RunnerProgress progress) {
        this.name = name;
        this.backoff = backoff;
        this.progress = progress;
    }

    /** After a step that committed a batch or reached the commit pointer: the error is cleared, the count starts again. */
    void succeeded() {
        if (attempts > 0 || progress.error() != null) {
            if (attempts > 0) {
                LOG.info("projection '{}' recovered after {} failed attempt(s)", name, attempts);
            }
            attempts = 0;
            progress.clearError();
        }
    }

    /**
     * Records a failed attempt, {@code e}, made while reading from {@code position}; returns the
     * pause before the next attempt in nanoseconds.
     *
     * @throws RunnerFailures.Fatal when the retries are spent
     */
    long failed(Throwable e, long position) {
        attempts++;
        long at = e instanceof RunnerFailures.AttemptFailure failure ? failure.position : position;
        String message = e instanceof RunnerFailures.AttemptFailure ? e.getMessage() : "projection '" + name
                + "' failed at position " + position + ": " + RunnerFailures.describe(e);
        progress.error(message, at);
        if (!backoff.allowsRetry(attempts)) {
            throw new RunnerFailures.Fatal(message + " (after " + backoff.retries() + " retries)", at,
                    e instanceof RunnerFailures.AttemptFailure && e.getCause() != null ? e.getCause() : e);
        }
        long pause = backoff.pauseBefore(attempts).toNanos();
        LOG.warn("projection '{}': {} (retry {} of {} in {} ms)", name, message, attempts, backoff.retries(),
                TimeUnit.NANOSECONDS.toMillis(pause));
        return pause;
    }
}
