package io.dataplatform.samples.continuous.projection;

import io.dataplatform.projections.Batch;
import io.dataplatform.projections.BatchEvent;
import io.dataplatform.projections.Projection;
import io.dataplatform.projections.ViewSession;
import io.dataplatform.samples.continuous.events.CommentEvent;
import io.dataplatform.samples.continuous.events.DumpEvent;
import io.dataplatform.samples.continuous.events.EventCodec;
import io.dataplatform.samples.continuous.events.PostEvent;
import io.dataplatform.samples.continuous.events.UserEvent;
import io.dataplatform.samples.continuous.importer.BatchHeader;

import java.time.Instant;

/**
 * The part the sample-3 projections share: decodes the dump's events, skips the rows of an import
 * batch stored twice (see {@link BatchHeader}; tracked in the {@link ImportCursor} view, so that it
 * is exact across restarts), and keeps the {@link ProcessingInfo} view. Subclasses say which event
 * kinds they want and apply them to views. Every piece of state lives in views (the runner may
 * apply a batch again after a failure). One instance per running projection, one thread.
 */
public abstract class DumpProjection implements Projection {
    private final EventCodec codec = EventCodec.binary();

    /** The projection's name, as in the processing info. */
    protected abstract String name();

    /** Whether the projection wants events of {@code stream} ({@code users}, {@code posts}, {@code comments}). */
    protected abstract boolean wants(String stream);

    /** Applies one event of a wanted stream. */
    protected abstract void apply(DumpEvent event, ViewSession views);

    /** Called before the batch's first event (after a failed attempt too): batch-local state is reset here. */
    protected void batchStarting() {
    }

    /** Called after the batch's events, before the processing info is written: summaries go here. */
    protected void batchApplied(ViewSession views) {
    }

    @Override
    public final void apply(Batch batch, ViewSession views) {
        batchStarting();
        ImportCursor cursor = views.edit(ImportCursor.KEY, ImportCursor.class, ImportCursor::new);
        long lastTimestamp = 0;
        long lastVersion = 0;
        for (BatchEvent event : batch) {
            String stream = event.streamId();
            lastTimestamp = event.timestamp();
            lastVersion = event.version();
            if (stream.equals(BatchHeader.STREAM)) {
                BatchHeader header = BatchHeader.fromJson(event.data());
                long applied = cursor.rows.getOrDefault(header.file(), 0L);
                cursor.skipping = header.from() < applied;
                if (cursor.skipping) {
                    cursor.repeatedBatches++;
                } else {
                    cursor.rows.put(header.file(), header.to());
                }
            } else if (!cursor.skipping && wants(stream)) {
                DumpEvent decoded;
                try {
                    decoded = codec.decode(stream, event.data());
                } catch (RuntimeException e) {
                    event.skip(); // not an event of the dump's form
                    continue;
                }
                apply(decoded, views);
            }
        }
        batchApplied(views);
        ProcessingInfo info = views.edit(ProcessingInfo.KEY, ProcessingInfo.class, ProcessingInfo::new);
        info.projection = name();
        info.position = batch.next();
        info.version = lastVersion;
        info.events += batch.size();
        info.batches++;
        info.lastUpdate = Instant.now().toString();
        info.lastEventTime = Instant.ofEpochMilli(lastTimestamp).toString();
    }

    /** Whether {@code stream} is one of the dump's row streams. */
    static boolean isRowStream(String stream) {
        return stream.equals(UserEvent.STREAM) || stream.equals(PostEvent.STREAM) || stream.equals(CommentEvent.STREAM);
    }
}
