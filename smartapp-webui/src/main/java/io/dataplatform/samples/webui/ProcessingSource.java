package io.dataplatform.samples.webui;

/**
 * Where the UI learns what the views cannot say: the store's head (for the lag) and each
 * projection's runner state. Either may be unknown (null). Implementations are called from the
 * live feed's one polling thread and must answer within about a second.
 */
interface ProcessingSource {
    /** The store's commit pointer: position and version of its last event. */
    record Head(long position, long version) {
    }

    ProcessingSource NONE = new ProcessingSource() {
    };

    /** The head of the store the projections read, or null if unknown. */
    default Head head() {
        return null;
    }

    /** The runner state of {@code projection} ({@code RUNNING}, {@code FAILED}, ...), or null if unknown. */
    default String state(String projection) {
        return null;
    }

    /** The runner's last error of {@code projection}, or null. */
    default String error(String projection) {
        return null;
    }
}
