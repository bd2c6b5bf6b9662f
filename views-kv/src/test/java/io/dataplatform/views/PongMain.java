package io.dataplatform.views;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Child process of {@link CrossProcessTest}: reads view {@code ping/value} of container
 * {@code ping} (written by the parent) through its cache and writes each new value it sees to
 * {@code pong/value} of container {@code pong}, which it owns. Runs until killed.
 */
public final class PongMain {

    private PongMain() {
    }

    public static void main(String[] args) {
        try (ViewStore store = ViewStores.open(args[0])) {
            ViewReader ping = store.reader("ping");
            ViewContainer pong = store.container("pong");
            Long last = null;
            while (true) {
                Long seen = ping.read("ping/value", Long.class);
                if (seen != null && !Objects.equals(seen, last)) {
                    pong.write("pong/value", seen);
                    last = seen;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // a reader polling its views
            }
        }
    }
}
