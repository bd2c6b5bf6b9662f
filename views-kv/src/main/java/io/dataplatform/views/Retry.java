package io.dataplatform.views;

import io.dataplatform.rules.Backoff;
import io.dataplatform.views.spi.ViewBackend;
import java.io.IOException;
import java.time.Duration;
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

    <T> T run(String container, String key, String what, IoCall<T> call) {
        for (int failures = 1; ; failures++) {
            try {
                return call.call();
            } catch (IOException e) {
                if (!backend.isTransient(e)) {
                    throw new ViewStoreException(container, key, what + " failed: " + e, e);
                }
                if (!backoff.allowsRetry(failures)) {
                    throw new ViewStoreException(container, key,
                            what + " failed after " + backoff.retries() + " retries: " + e, e);
                }
                LOG.debug("{} of container {} key {} failed transiently ({}), retry {} of {}",
                        what, container, key, e, failures, backoff.retries());
                pause(backoff.pauseBefore(failures));
            }
        }
    }

    /**
     * Waits out {@code pause} even if the thread is interrupted meanwhile, and keeps its interrupt
     * status: the call being retried may come after a commit point (a flush pass, recovery, a
     * write-through commit), where giving up would leave the container refusing commits until the
     * store is reopened. Each pause is short: at most {@link ViewStoreOptions#MAX_RETRY_PAUSE}, unless the
     * first pause was set longer.
     */
    private static void pause(Duration pause) {
        long deadline = System.nanoTime() + pause.toNanos();
        boolean interrupted = false;
        try {
            for (long left = pause.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                try {
                    Backoff.sleep(Duration.ofNanos(left));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
