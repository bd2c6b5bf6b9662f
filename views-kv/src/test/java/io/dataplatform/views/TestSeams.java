package io.dataplatform.views;

import io.dataplatform.views.spi.ViewBackend;
import java.util.function.Consumer;

/** Opens the package-private seams to tests of other packages (the backends'). Test code only. */
public final class TestSeams {

    private TestSeams() {
    }

    /** A store over {@code backend} whose commits tell {@code steps} the name of each step reached; it may throw to crash there. */
    public static ViewStore open(String location, ViewBackend backend, ViewStoreOptions options, Consumer<String> steps) {
        return ViewStores.open(location, backend, options, step -> steps.accept(step.name()), System::nanoTime);
    }

    /**
     * Like {@link #open(String, ViewBackend, ViewStoreOptions, Consumer)}, but view files are written only
     * when the test calls {@link #flush} (or a commit waits for room, or at close), so steps come in a known order.
     */
    public static ViewStore openFlushingOnDemand(String location, ViewBackend backend, ViewStoreOptions options,
            Consumer<String> steps) {
        return ViewStores.open(location, backend, options, step -> steps.accept(step.name()), System::nanoTime,
                new WriteBehind(null, WriteBehind.DEFAULT_MAX_DIRTY_BYTES));
    }

    /** Runs a flush pass of every container on the calling thread, dropping journals past their limit. */
    public static void flush(ViewStore store) {
        ((OpenViewStore) store).flush();
    }

    /** Releases the store's locks and handles without syncing or dropping anything, as a killed process would. */
    public static void abandon(ViewStore store) {
        ((OpenViewStore) store).abandon();
    }
}
