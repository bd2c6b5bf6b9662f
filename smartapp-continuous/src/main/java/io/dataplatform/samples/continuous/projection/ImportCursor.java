package io.dataplatform.samples.continuous.projection;

import java.util.HashMap;
import java.util.Map;

/**
 * View {@value #KEY} of every sample-3 container: how far each dump file's rows have been applied
 * (the {@code to} of the last {@link io.dataplatform.samples.continuous.importer.BatchHeader}
 * applied), and whether the projection is inside a batch stored twice, whose rows it skips. Kept
 * in a view so that it commits with the checkpoint; a mutable Jackson bean.
 */
public final class ImportCursor {
    public static final String KEY = "import-cursor";

    /** Rows applied per dump file name. */
    public Map<String, Long> rows = new HashMap<>();
    /** Whether the events being read belong to a repeated batch (skipped until the next header). */
    public boolean skipping;
    /** Repeated batches skipped so far. */
    public long repeatedBatches;
}
