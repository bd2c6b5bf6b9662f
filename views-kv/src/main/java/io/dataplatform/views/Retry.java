package io.dataplatform.views;

import io.dataplatform.rules.Backoff;
import io.dataplatform.views.spi.ViewBackend;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs backend calls, retrying the failures the backend calls transient with the pauses of a
 * {@link Backoff} (by default 4 retries after 50, 100, 200, 400 ms; see
 * {@link ViewStoreOptions#backoff()}), and turning every failure that stays into a
 * {@link ViewStoreException} naming container and key. Thread-safe.
 */
final class Retry {

    private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

    @FunctionalInterface
    interface IoCall<T> {
        T call() throws IOException;
    }

    private final ViewBackend backend;
    private final Backoff backoff;

    Retry(ViewBackend backend, Backoff backoff) {
        this.backend = backend;
        this.backoff = backoff;
    }

    /**
     * Runs {@code call} with the thread's interrupt status cleared, and sets it again before
     * returning or throwing if the thread was interrupted before or during the call: an interrupt
     * must neither fail a view store call nor be lost. (Blocking calls to a remote backend, such
     * as the Azure SDK's, fail at once on an interrupted thread; one that arrives during a call
     * fails it as a transient failure, and the retry runs with the status cleared again.)
     */
    <T> T run(String container, String key, String what, IoCall<T> call) {
        boolean interrupted = Thread.interrupted();
        try {
            for (int failures = 1; ; failures++) {
                try {
                    return call.call();
                } catch (IOException e) {
                    interrupted |= Thread.interrupted();
                    if (!backend.isTransient(e)) {
                        throw new ViewStoreException(container, key, what + " failed: " + e, e);
                    }
                    if (!backoff.allowsRetry(failures)) {
                        throw new ViewStoreException(container, key,
                                what + " failed after " + backoff.retries() + " retries: " + e, e);
                    }
                    LOG.debug("{} of container {} key {} failed transiently ({}), retry {} of {}",
                            what, container, key, e, failures, backoff.retries());
                    // waited out whole: the call being retried may come after a commit point (a flush
                    // pass, recovery, a write-through commit), where giving up would leave the
                    // container refusing commits until the store is reopened
                    interrupted |= Backoff.sleepThrough(backoff.pauseBefore(failures));
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
