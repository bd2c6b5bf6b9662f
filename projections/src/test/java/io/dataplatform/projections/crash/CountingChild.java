package io.dataplatform.projections.crash;

import io.dataplatform.projections.ProjectionConfig;
import io.dataplatform.projections.ProjectionRunner;
import io.dataplatform.projections.RunnerSettings;
import io.dataplatform.projections.StoreReaders;
import io.dataplatform.projections.builtin.StreamCounts;
import io.dataplatform.store.StoreId;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStoreOptions;
import io.dataplatform.views.ViewStores;

import java.util.Map;

/**
 * A child JVM that runs {@code stream-counts} over a store into views on the {@code crashing-file}
 * backend until the backend halts it: {@code <store location> <store> <views location>}.
 */
public final class CountingChild {

    private CountingChild() {
    }

    public static void main(String[] args) throws Exception {
        StoreId store = StoreId.of(args[1]);
        ViewStore views = ViewStores.open(args[2], ViewStoreOptions.defaults().withBackend(CrashingFileBackendProvider.NAME));
        ProjectionRunner runner = new ProjectionRunner("counts", new StreamCounts(), ProjectionConfig.of("counts", Map.of()),
                RunnerSettings.defaults().withBatch(1_000, 1 << 20), store, StoreReaders.direct(args[0], store),
                views, "counts", null, null).start(false);
        runner.stopped().join();
        System.exit(2); // the runner ended without the halt: the parent reports it
    }
}
