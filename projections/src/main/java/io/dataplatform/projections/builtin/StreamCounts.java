package io.dataplatform.projections.builtin;

import io.dataplatform.projections.Batch;
import io.dataplatform.projections.BatchEvent;
import io.dataplatform.projections.ConfigKey;
import io.dataplatform.projections.ConfigType;
import io.dataplatform.projections.Projection;
import io.dataplatform.projections.ProjectionConfig;
import io.dataplatform.projections.ProjectionName;
import io.dataplatform.projections.ViewSession;
import io.dataplatform.views.InvalidViewKeyException;

import java.util.List;

/**
 * The built-in projection {@code stream-counts}: one view per stream id, under the key
 * {@code <prefix><stream id>}, holding {@code {"events": n, "bytes": b}} (events and bytes of data
 * of that stream). A template for projection authors and a smoke test of a worker.
 *
 * <p>A stream id that is not a valid view key (an empty segment, a control character) is skipped
 * and counted as such. Not thread-safe (one instance per running projection).
 */
@ProjectionName(StreamCounts.NAME)
public final class StreamCounts implements Projection {

    /** Short name for {@code projection.class}. */
    public static final String NAME = "stream-counts";
    static final String KEY_PREFIX = "key.prefix";

    /** A view: how many events, and bytes of data, a stream has. */
    public static final class Count {
        public long events;
        public long bytes;
    }

    private String prefix = "";

    @Override
    public List<ConfigKey> configKeys() {
        return List.of(ConfigKey.optional(KEY_PREFIX, ConfigType.STRING, "",
                "Put before each stream id to make the view key (e.g. 'streams/')."));
    }

    @Override
    public void start(ProjectionConfig config) {
        prefix = config.get(KEY_PREFIX) == null ? "" : config.get(KEY_PREFIX);
    }

    @Override
    public void apply(Batch batch, ViewSession views) {
        for (BatchEvent event : batch) {
            Count count;
            try {
                count = views.edit(prefix + event.streamId(), Count.class, Count::new);
            } catch (InvalidViewKeyException e) {
                event.skip(); // the view store's key rule refuses this stream id
                continue;
            }
            count.events++;
            count.bytes += event.dataLength();
        }
    }
}
