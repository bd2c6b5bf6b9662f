package io.dataplatform.store;

import java.nio.charset.StandardCharsets;

/**
 * A committed event as read from a store: where its record starts ({@code position}), where the
 * next one starts ({@code next}, the continuation token), its store version and commit time, its
 * stream id and its data.
 */
public record Event(long position, long next, long version, long timestamp, String streamId, byte[] data) {

    /** The data decoded as UTF-8 (for text events). */
    public String dataAsString() {
        return new String(data, StandardCharsets.UTF_8);
    }
}
