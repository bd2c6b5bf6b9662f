package io.dataplatform.samples.continuous.projection;

import io.dataplatform.projections.Batch;
import io.dataplatform.projections.BatchEvent;
import io.dataplatform.projections.Projection;
import io.dataplatform.projections.ProjectionName;
import io.dataplatform.projections.ViewSession;

import java.time.Instant;

/**
 * Sample 2: the distribution of event sizes of a store, any store. One view, {@code distribution}
 * ({@link Distribution}): events counted by size bucket, bucket i holding data sizes below
 * {@code 2^(i+4)} bytes (16, 32, 64, ... 2 MiB and more), plus {@code status}. Reads sizes only,
 * never the data.
 */
@ProjectionName(EventSizes.NAME)
public final class EventSizes implements Projection {
    public static final String NAME = "event-sizes";
    public static final String DISTRIBUTION = "distribution";
    static final int BUCKETS = 18;

    /** View {@code distribution}. */
    public static final class Distribution {
        /** Events per bucket: {@code events[i]} counts sizes in [{@code upTo[i-1]}, {@code upTo[i]}). */
        public long[] events = new long[BUCKETS];
        /** Upper bounds (exclusive) of the buckets, in bytes; the last bucket is open. */
        public long[] upTo = bounds();
        public long totalEvents;
        public long totalBytes;
        public long largest;

        private static long[] bounds() {
            long[] upTo = new long[BUCKETS];
            for (int i = 0; i < BUCKETS; i++) {
                upTo[i] = i == BUCKETS - 1 ? Long.MAX_VALUE : 16L << i;
            }
            return upTo;
        }
    }

    /** The bucket of a data size. */
    static int bucket(int size) {
        int bucket = 0;
        while (bucket < BUCKETS - 1 && size >= 16L << bucket) {
            bucket++;
        }
        return bucket;
    }

    @Override
    public void apply(Batch batch, ViewSession views) {
        Distribution distribution = views.edit(DISTRIBUTION, Distribution.class, Distribution::new);
        for (BatchEvent event : batch) {
            int size = event.dataLength();
            distribution.events[bucket(size)]++;
            distribution.totalEvents++;
            distribution.totalBytes += size;
            distribution.largest = Math.max(distribution.largest, size);
        }
        ProcessingInfo info = views.edit(ProcessingInfo.KEY, ProcessingInfo.class, ProcessingInfo::new);
        info.projection = NAME;
        info.position = batch.next();
        info.version = batch.get(batch.size() - 1).version();
        info.events += batch.size();
        info.batches++;
        info.lastUpdate = Instant.now().toString();
        info.lastEventTime = Instant.ofEpochMilli(batch.get(batch.size() - 1).timestamp()).toString();
    }
}
