package io.dataplatform.client;

import io.dataplatform.store.CorruptLogException;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.RecordFormat;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Turns records received from elsewhere (the node's {@code GET /stores/{store}/events} answer)
 * into an {@link EventBatch}, verifying each record as a local reader does. Lets a reader outside
 * this package (the HTTP client's remote reader) return the same batches as a direct reader.
 * Stateless; the caller's batch and checksum are not thread-safe.
 */
final class ReceivedRecords {

    private ReceivedRecords() {
    }

    /**
     * Points {@code batch} at the whole records of {@code records} (from index 0), whose first
     * byte sits at position {@code from} of store {@code store}.
     *
     * @throws CorruptLogException if a record does not verify or the buffer ends inside a record
     */
    static EventBatch decode(EventBatch batch, String store, ByteBuffer records, long from, CRC32C crc) {
        batch.reset(records, from);
        int limit = records.limit();
        int offset = 0;
        ByteBuffer view = records.duplicate(); // moved by each record's checksum, allocated once
        while (offset < limit) {
            if (limit - offset < RecordFormat.HEADER_SIZE) {
                throw new CorruptLogException(store, "(received)", from + offset, "truncated record header");
            }
            int length = RecordFormat.length(records, offset);
            if (length < RecordFormat.MIN_LENGTH || length > RecordFormat.MAX_LENGTH
                    || (long) offset + RecordFormat.PREFIX_SIZE + length > limit) {
                throw new CorruptLogException(store, "(received)", from + offset, "impossible record length " + length);
            }
            String problem = RecordFormat.verify(crc, records, view, offset);
            if (problem != null) {
                throw new CorruptLogException(store, "(received)", from + offset, problem);
            }
            batch.add(offset);
            offset += RecordFormat.PREFIX_SIZE + length;
        }
        return batch;
    }
}
