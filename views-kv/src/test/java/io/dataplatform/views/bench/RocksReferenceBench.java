package io.dataplatform.views.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.IndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * The reference for the {@code rocksdb} view backend: raw RocksDB calls, one thread, on a database
 * set up as the backend sets up its databases by default (128 MiB LRU block cache with partitioned
 * index and filter blocks in it, 32 MiB write buffer manager charged to it, 10-bit bloom filter, LZ4): durable
 * write batches of 1,000 new 1 KiB values (sync), and random gets over 1,000,000 1 KiB values
 * (keys shaped as the backend's). Scores are values per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RocksReferenceBench {

    static final int BATCH = 1_000;
    static final int LOADED = 1_000_000;

    /** One database with its native options, as the backend opens one. */
    abstract static class Database {
        Path dir;
        LRUCache cache;
        WriteBufferManager writeBuffers;
        BloomFilter bloom;
        Options options;
        RocksDB db;

        void open() throws RocksDBException {
            RocksDB.loadLibrary();
            cache = new LRUCache(128L << 20);
            writeBuffers = new WriteBufferManager(32L << 20, cache);
            bloom = new BloomFilter(10, false);
            options = new Options().setCreateIfMissing(true)
                    .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(bloom)
                            .setCacheIndexAndFilterBlocks(true).setCacheIndexAndFilterBlocksWithHighPriority(true)
                            .setPinL0FilterAndIndexBlocksInCache(true).setIndexType(IndexType.kTwoLevelIndexSearch)
                            .setPartitionFilters(true).setMetadataBlockSize(4096).setPinTopLevelIndexAndFilter(true))
                    .setWriteBufferManager(writeBuffers).setWriteBufferSize(32L << 20)
                    .setCompressionType(CompressionType.LZ4_COMPRESSION).setMaxBackgroundJobs(2);
            db = RocksDB.open(options, dir.toString());
        }

        void close() {
            db.close();
            options.close();
            bloom.close();
            writeBuffers.close();
            cache.close();
        }
    }

    /** An empty database, written by the durable batches. */
    @State(Scope.Benchmark)
    public static class Empty extends Database {
        WriteOptions synced;
        byte[][] documents;
        long batch;

        @Setup(Level.Trial)
        public void setUp() throws RocksDBException {
            dir = BenchDirs.create("rocksdb-reference");
            open();
            synced = new WriteOptions().setSync(true);
            documents = new byte[16][];
            for (int i = 0; i < documents.length; i++) {
                documents[i] = BenchDirs.kib(i);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            synced.close();
            close();
            BenchDirs.delete(dir);
        }
    }

    /** 1,000,000 values, written in batches without sync, then the database closed and opened again (its memtable flushed). */
    @State(Scope.Benchmark)
    public static class Loaded extends Database {
        @Setup(Level.Trial)
        public void setUp() throws RocksDBException {
            dir = BenchDirs.create("rocksdb-reference-loaded");
            open();
            byte[] document = BenchDirs.kib(2);
            try (WriteOptions unsynced = new WriteOptions()) {
                for (int start = 0; start < LOADED; start += 10_000) {
                    try (WriteBatch batch = new WriteBatch()) {
                        for (int i = start; i < start + 10_000; i++) {
                            batch.put(key("views/" + i), document);
                        }
                        db.write(unsynced, batch);
                    }
                }
            }
            close();
            open();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            close();
            BenchDirs.delete(dir);
        }
    }

    /** 1,000 new 1 KiB values in one write batch, synced: what a view commit of 1,000 new views does underneath. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void writeBatchSynced(Empty state) throws RocksDBException {
        long batch = ++state.batch;
        try (WriteBatch writes = new WriteBatch()) {
            for (int i = 0; i < BATCH; i++) {
                writes.put(key("new/" + batch + "/" + i), state.documents[i % state.documents.length]);
            }
            writes.put(key("checkpoint"), Long.toString(batch).getBytes(StandardCharsets.UTF_8));
            state.db.write(state.synced, writes);
        }
    }

    /** A get of a random one of the 1,000,000 values. */
    @Benchmark
    public byte[] randomGet(Loaded state) throws RocksDBException {
        return state.db.get(key("views/" + ThreadLocalRandom.current().nextInt(LOADED)));
    }

    private static byte[] key(String view) {
        return ("v" + view).getBytes(StandardCharsets.UTF_8);
    }
}
