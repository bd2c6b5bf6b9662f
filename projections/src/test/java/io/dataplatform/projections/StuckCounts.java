package io.dataplatform.projections;

import io.dataplatform.projections.builtin.StreamCounts;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Counts streams as {@link StreamCounts} does; with {@code stuck=true}, its first batch waits, after
 * counting, until {@link #release} opens: a projection too slow to stop. One test at a time uses it
 * ({@link #reset} first).
 */
@ProjectionName("stuck-counts")
public final class StuckCounts implements Projection {

    public static volatile CountDownLatch applying = new CountDownLatch(1);
    public static volatile CountDownLatch release = new CountDownLatch(1);
    public static volatile CountDownLatch stoppedStuck = new CountDownLatch(1);

    public static void reset() {
        applying = new CountDownLatch(1);
        release = new CountDownLatch(1);
        stoppedStuck = new CountDownLatch(1);
    }

    private final StreamCounts counts = new StreamCounts();
    private boolean stuck;

    @Override
    public List<ConfigKey> configKeys() {
        List<ConfigKey> keys = new java.util.ArrayList<>(counts.configKeys());
        keys.add(ConfigKey.optional("stuck", ConfigType.BOOLEAN, "false", "Wait in the first batch until released."));
        return keys;
    }

    @Override
    public void start(ProjectionConfig config) {
        counts.start(config);
        stuck = config.getBoolean("stuck");
    }

    @Override
    public void apply(Batch batch, ViewSession views) throws Exception {
        counts.apply(batch, views);
        if (stuck) {
            applying.countDown();
            if (!release.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("never released");
            }
        }
    }

    @Override
    public void stop() {
        if (stuck) {
            stoppedStuck.countDown();
        }
    }
}
