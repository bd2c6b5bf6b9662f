package io.dataplatform.views;

import java.util.Map;
import java.util.Objects;

/**
 * The position a projection has fully applied to the views of one container, saved atomically
 * with those views by {@link ViewContainer#commit}.
 *
 * @param position the position (for a projection: the {@code next} position of the last event
 *     applied); never negative
 * @param metadata free-form string pairs saved with the position (for example the store id);
 *     never null, copied and immutable
 */
public record Checkpoint(long position, Map<String, String> metadata) {

    public Checkpoint {
        if (position < 0) {
            throw new IllegalArgumentException("checkpoint position must not be negative: " + position);
        }
        metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
    }

    /** A checkpoint at {@code position} without metadata. */
    public static Checkpoint at(long position) {
        return new Checkpoint(position, Map.of());
    }
}
