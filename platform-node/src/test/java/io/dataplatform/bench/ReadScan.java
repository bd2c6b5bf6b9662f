package io.dataplatform.bench;

import io.dataplatform.client.PlatformClient;
import io.dataplatform.store.Event;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.ReadLimits;
import io.dataplatform.store.Storage;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;

/**
 * Scans a store three ways and prints events/s: the engine's reader, the client's direct reader
 * ({@code PlatformClient.readOnly(...).reader()}), and the client's event iteration (which copies
 * each event out). Usage: {@code ReadScan <location> <store> [rounds]}.
 */
public final class ReadScan {
    public static void main(String[] args) {
        String location = args[0];
        StoreId store = StoreId.of(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        for (int round = 0; round < rounds; round++) {
            try (StoreReader reader = Storage.openReader(location, store)) {
                report("engine reader", scan(reader));
            }
            try (PlatformClient client = PlatformClient.readOnly(location, store); StoreReader reader = client.reader()) {
                report("client reader", scan(reader));
            }
            try (PlatformClient client = PlatformClient.readOnly(location, store)) {
                long start = System.nanoTime();
                long count = 0;
                long bytes = 0;
                for (Event event : client.events(0)) {
                    count++;
                    bytes += event.data().length;
                }
                report("client events()", new long[]{count, bytes, System.nanoTime() - start});
            }
        }
    }

    private static long[] scan(StoreReader reader) {
        long start = System.nanoTime();
        long from = 0;
        long count = 0;
        long bytes = 0;
        while (true) {
            EventBatch batch = reader.read(from, ReadLimits.DEFAULT_MAX_EVENTS, 4 * 1024 * 1024);
            if (batch.isEmpty()) {
                return new long[]{count, bytes, System.nanoTime() - start};
            }
            for (int i = 0; i < batch.size(); i++) {
                bytes += batch.dataLength(i);
            }
            count += batch.size();
            from = batch.next();
        }
    }

    private static void report(String what, long[] result) {
        double seconds = result[2] / 1e9;
        System.out.printf("%-16s %,d events in %.2f s = %,.0f events/s%n", what, result[0], seconds, result[0] / seconds);
    }
}
