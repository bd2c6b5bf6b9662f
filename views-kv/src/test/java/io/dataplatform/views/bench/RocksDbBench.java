package io.dataplatform.views.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/** The reference: RocksDB puts of 1 KiB values (WAL on, no sync) and random gets of 1 KiB values, one thread. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RocksDbBench {

    private static final int KEYS = 100_000;

    private Path dir;
    private Options options;
    private RocksDB db;
    private WriteOptions noSync;
    private byte[] value;
    private long next;

    @Setup(Level.Trial)
    public void open() throws RocksDBException {
        RocksDB.loadLibrary();
        dir = BenchDirs.create("rocksdb");
        options = new Options().setCreateIfMissing(true);
        db = RocksDB.open(options, dir.toString());
        noSync = new WriteOptions().setSync(false);
        value = BenchDirs.kib(1);
        for (int i = 0; i < KEYS; i++) {
            db.put(noSync, key(i), value);
        }
        db.flush(new org.rocksdb.FlushOptions().setWaitForFlush(true));
        next = KEYS;
    }

    @TearDown(Level.Trial)
    public void close() {
        db.close();
        noSync.close();
        options.close();
        BenchDirs.delete(dir);
    }

    @Benchmark
    public void put() throws RocksDBException {
        db.put(noSync, key(next++), value);
    }

    @Benchmark
    public byte[] randomGet() throws RocksDBException {
        return db.get(key(ThreadLocalRandom.current().nextInt(KEYS)));
    }

    private static byte[] key(long i) {
        return ("views/" + i).getBytes(StandardCharsets.UTF_8);
    }
}
