package io.dataplatform.store;

/** Default and largest batch sizes of readers. */
public final class ReadLimits {
    public static final int DEFAULT_MAX_EVENTS = 10_000;
    public static final int DEFAULT_MAX_BYTES = 1024 * 1024;
    /** Largest batch a reader buffers, besides a single record larger than that. */
    public static final int MAX_BYTES = 16 * 1024 * 1024;

    private ReadLimits() {
    }
}
