package io.dataplatform.views;

import com.fasterxml.jackson.annotation.JsonInclude;
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
 * @param epoch the writer epoch that committed it (see {@link ViewContainer#beginEpoch()}): a
 *     commit carrying a lower epoch than the container's checkpoint is refused; 0 for writers that
 *     never begin one; never negative. Left out of the stored JSON when 0.
 */
public record Checkpoint(long position, Map<String, String> metadata,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) long epoch) {

    public Checkpoint {
        if (position < 0) {
            throw new IllegalArgumentException("checkpoint position must not be negative: " + position);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("checkpoint epoch must not be negative: " + epoch);
        }
        metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
    }

    /** A checkpoint of epoch 0 (a writer that does not fence). */
    public Checkpoint(long position, Map<String, String> metadata) {
        this(position, metadata, 0);
    }

    /** A checkpoint at {@code position} without metadata. */
    public static Checkpoint at(long position) {
        return new Checkpoint(position, Map.of());
    }

    /** This checkpoint carried by a commit of {@code epoch}. */
    public Checkpoint withEpoch(long epoch) {
        return new Checkpoint(position, metadata, epoch);
    }
}
