package io.dataplatform.views.rocksdb;

import java.io.IOException;
import java.util.Locale;
import org.rocksdb.CompressionType;

/**
 * The RocksDB settings of one {@code rocksdb} location, shared by all its containers (see
 * docs/views.md, "RocksDB backend", for how each was chosen):
 *
 * @param blockCacheBytes capacity of the one LRU block cache of the location; memtables, index and
 *     filter blocks are charged to it too, so it bounds the native memory of all its containers
 * @param writeBufferBytes the memtable budget of the location (all containers together), charged
 *     to the block cache by a write buffer manager; a full budget makes the biggest memtable flush
 * @param bloomBitsPerKey bits per key of the bloom filters (0: none); about 1 % false positives at 10,
 *     so that a read of a missing view (a projection's {@code readOrNew}) rarely touches a data block
 * @param compression the compression of SST blocks
 */
record RocksTuning(long blockCacheBytes, long writeBufferBytes, int bloomBitsPerKey, CompressionType compression) {

    /** 128 MiB block cache holding 32 MiB of memtables, 10 bits per key, LZ4. */
    static RocksTuning defaults() {
        return new RocksTuning(128L << 20, 32L << 20, 10, CompressionType.LZ4_COMPRESSION);
    }

    /**
     * The tuning a location asks for: {@code rocksdb:DIR?blockCacheMiB=256&writeBufferMiB=64&bloomBits=10&compression=zstd}
     * (each parameter optional; compression {@code none}, {@code lz4}, {@code zstd}, {@code snappy}).
     */
    static RocksTuning parse(String parameters, String location) throws IOException {
        RocksTuning tuning = defaults();
        if (parameters.isEmpty()) {
            return tuning;
        }
        for (String pair : parameters.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            try {
                tuning = switch (name) {
                    case "blockCacheMiB" -> new RocksTuning(Long.parseLong(value) << 20, tuning.writeBufferBytes,
                            tuning.bloomBitsPerKey, tuning.compression);
                    case "writeBufferMiB" -> new RocksTuning(tuning.blockCacheBytes, Long.parseLong(value) << 20,
                            tuning.bloomBitsPerKey, tuning.compression);
                    case "bloomBits" -> new RocksTuning(tuning.blockCacheBytes, tuning.writeBufferBytes,
                            Integer.parseInt(value), tuning.compression);
                    case "compression" -> new RocksTuning(tuning.blockCacheBytes, tuning.writeBufferBytes,
                            tuning.bloomBitsPerKey, compression(value));
                    default -> throw new IOException("unknown rocksdb parameter '" + name + "' in '" + location
                            + "' (known: blockCacheMiB, writeBufferMiB, bloomBits, compression)");
                };
            } catch (NumberFormatException e) {
                throw new IOException("rocksdb parameter '" + name + "' in '" + location + "' is not a number: '" + value + "'");
            }
        }
        if (tuning.blockCacheBytes <= 0 || tuning.writeBufferBytes <= 0 || tuning.bloomBitsPerKey < 0
                || tuning.writeBufferBytes > tuning.blockCacheBytes) {
            throw new IOException("rocksdb parameters in '" + location
                    + "' out of range: block cache and write buffer above 0, write buffer within the block cache, bloom bits 0 or more");
        }
        return tuning;
    }

    private static CompressionType compression(String name) throws IOException {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "none" -> CompressionType.NO_COMPRESSION;
            case "lz4" -> CompressionType.LZ4_COMPRESSION;
            case "zstd" -> CompressionType.ZSTD_COMPRESSION;
            case "snappy" -> CompressionType.SNAPPY_COMPRESSION;
            default -> throw new IOException("unknown rocksdb compression '" + name + "' (none, lz4, zstd, snappy)");
        };
    }
}
