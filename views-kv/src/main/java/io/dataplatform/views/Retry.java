package io.dataplatform.views;

import io.dataplatform.views.spi.ViewBackend;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs backend calls, retrying the failures the backend calls transient with growing pauses
 * (by default 4 retries after 50, 100, 200, 400 ms), and turning every failure that stays into a
 * {@link ViewStoreException} naming container and key. Thread-safe.
 */
final class Retry {

    private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

    @FunctionalInterface
    interface IoCall<T> {
        T call() throws IOException;
    }

    private final ViewBackend backend;
    private final int retries;
    private final long firstPauseNanos;

    Retry(ViewBackend backend, int retries, Duration firstPause) {
        this.backend = backend;
        this.retries = retries;
        this.firstPauseNanos = firstPause.toNanos();
    }

    <T> T run(String container, String key, String what, IoCall<T> call) {
        long pause = firstPauseNanos;
        for (int attempt = 0; ; attempt++) {
            try {
                return call.call();
            } catch (IOException e) {
                if (!backend.isTransient(e)) {
                    throw new ViewStoreException(container, key, what + " failed: " + e, e);
                }
                if (attempt >= retries) {
                    throw new ViewStoreException(container, key,
                            what + " failed after " + retries + " retries: " + e, e);
                }
                LOG.debug("{} of container {} key {} failed transiently ({}), retry {} of {}",
                        what, container, key, e, attempt + 1, retries);
                pause(pause, container, key, what);
                pause *= 2;
            }
        }
    }

    private static void pause(long nanos, String container, String key, String what) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ViewStoreException(container, key, what + " interrupted while waiting to retry", e);
        }
    }
}
