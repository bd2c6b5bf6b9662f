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

    /** Releases the store's locks and handles without syncing or dropping anything, as a killed process would. */
    public static void abandon(ViewStore store) {
        ((OpenViewStore) store).abandon();
    }
}
