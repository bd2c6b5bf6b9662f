package io.dataplatform.samples.continuous.importer;

import io.dataplatform.store.EventBatch;
import io.dataplatform.store.StoreReader;

import java.util.HashMap;
import java.util.Map;

/**
 * What a store already holds of an import: the last {@link BatchHeader} of each file, found by
 * reading the store from a position known to be at or before the last header (0 when nothing is
 * known). Only the stream id of other events is looked at. Not thread-safe.
 */
public final class ImportLog {
    private final Map<String, BatchHeader> last = new HashMap<>();
    private long scannedTo;

    /** The log of a store that does not exist yet. */
    public static ImportLog empty() {
        return new ImportLog();
    }

    /** Reads {@code reader} from {@code from} to its commit pointer. */
    public static ImportLog scan(StoreReader reader, long from) {
        ImportLog log = new ImportLog();
        long position = from;
        while (true) {
            EventBatch batch = reader.read(position, 100_000, 16 << 20);
            if (batch.isEmpty()) {
                break;
            }
            for (int i = 0; i < batch.size(); i++) {
                if (isHeader(batch, i)) {
                    BatchHeader header = BatchHeader.fromJson(batch.data(i));
                    BatchHeader previous = log.last.get(header.file());
                    if (previous == null || header.to() >= previous.to()) {
                        log.last.put(header.file(), header);
                    }
                }
            }
            position = batch.next();
        }
        log.scannedTo = position;
        return log;
    }

    /** Whether event {@code index} of {@code batch} is a batch header. */
    public static boolean isHeader(EventBatch batch, int index) {
        return batch.streamId(index).equals(BatchHeader.STREAM);
    }

    /** The last header of {@code file}, or null if the store holds none of its rows. */
    public BatchHeader last(String file) {
        return last.get(file);
    }

    /** The commit position the scan reached. */
    public long scannedTo() {
        return scannedTo;
    }
}
