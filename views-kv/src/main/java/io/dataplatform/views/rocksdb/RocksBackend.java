package io.dataplatform.views.rocksdb;

import io.dataplatform.views.spi.BackendContainer;
import io.dataplatform.views.spi.ContainerDirectories;
import io.dataplatform.views.spi.ViewBackend;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.IndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * View containers as RocksDB databases under one root directory, one database per container
 * ({@code <root>/<container>/}), all sharing one block cache (which memtables, index and filter
 * blocks are charged to) and one bloom filter policy, tuned as {@link RocksTuning} says;
 * {@code <root>/.dropped-*} are drops a crash interrupted ({@link ContainerDirectories}).
 *
 * <p>Owns the shared native objects (closed by {@link #close}) and, JVM-wide, the claim on each
 * container directory written or being dropped in this JVM: RocksDB's {@code LOCK} file is a
 * {@code fcntl} lock, which a process never conflicts with itself on and which any close of the
 * file by the process releases, so the claims keep two stores of one JVM from writing (or dropping)
 * one container and keep a drop from touching the {@code LOCK} file of a database this JVM has open.
 * Thread-safe.
 */
final class RocksBackend implements ViewBackend {

    /** Container directories claimed in this JVM: the open writer, or {@link #PENDING} while one opens or a drop runs. */
    private static final Map<Path, Object> CLAIMS = new ConcurrentHashMap<>();
    private static final Object PENDING = new Object();

    private final Path root;
    private final RocksTuning tuning;
    private final LRUCache cache;
    private final WriteBufferManager writeBuffers;
    private final BloomFilter bloom;

    RocksBackend(Path root, RocksTuning tuning) {
        RocksDB.loadLibrary();
        this.root = root.toAbsolutePath().normalize();
        this.tuning = tuning;
        this.cache = new LRUCache(tuning.blockCacheBytes());
        this.writeBuffers = new WriteBufferManager(tuning.writeBufferBytes(), cache);
        this.bloom = tuning.bloomBitsPerKey() > 0 ? new BloomFilter(tuning.bloomBitsPerKey(), false) : null;
    }

    /** Fresh options for one database, on the shared cache, write buffer manager and filter; closed with its handle. */
    Options options(boolean secondary) {
        // Index and filter blocks live in the cache, so that their memory is bounded by it, not by the
        // number of keys; partitioned (4 KiB partitions under a pinned top level), because a whole
        // index of a large SST file outgrows a cache shard, is never kept, and is read again by
        // every get (measured with 10,000,000 keys: 60 gets/s against 20,000-40,000 partitioned).
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(cache)
                .setCacheIndexAndFilterBlocks(true)
                .setCacheIndexAndFilterBlocksWithHighPriority(true)
                .setPinL0FilterAndIndexBlocksInCache(true)
                .setIndexType(IndexType.kTwoLevelIndexSearch)
                .setPartitionFilters(true)
                .setMetadataBlockSize(4096)
                .setPinTopLevelIndexAndFilter(true);
        if (bloom != null) {
            table.setFilterPolicy(bloom);
        }
        Options options = new Options()
                .setCreateIfMissing(!secondary)
                .setTableFormatConfig(table)
                .setWriteBufferManager(writeBuffers)
                .setWriteBufferSize(Math.min(64L << 20, tuning.writeBufferBytes()))
                .setCompressionType(tuning.compression())
                .setMaxBackgroundJobs(2)
                .setKeepLogFileNum(2);
        if (secondary) {
            options.setMaxOpenFiles(-1); // a secondary instance keeps every file it uses open, even once the primary deletes it
        }
        return options;
    }

    @Override
    public BackendContainer openContainer(String name, boolean writer) throws IOException {
        Path dir = root.resolve(name);
        if (!writer) {
            return new RocksReader(dir, RocksBackend::writerOf, this);
        }
        if (CLAIMS.putIfAbsent(dir, PENDING) != null) {
            throw new IOException("container '" + name + "' is already written by another store of this process (" + dir + ")");
        }
        try {
            RocksContainer container = RocksContainer.over(RocksHandle.openPrimary(dir, name, options(false)),
                    closed -> CLAIMS.remove(dir, closed));
            CLAIMS.put(dir, container);
            return container;
        } catch (IOException | RuntimeException e) {
            CLAIMS.remove(dir);
            throw e;
        }
    }

    private static RocksContainer writerOf(Path dir) {
        return CLAIMS.get(dir) instanceof RocksContainer container ? container : null;
    }

    @Override
    public List<String> containers() throws IOException {
        return ContainerDirectories.list(root);
    }

    /**
     * Takes the database's {@code LOCK} (as its writer would), renames its directory aside
     * (durably), then deletes it: see {@link ContainerDirectories}.
     */
    @Override
    public void dropContainer(String name) throws IOException {
        Path dir = root.resolve(name);
        if (CLAIMS.putIfAbsent(dir, PENDING) != null) {
            throw new IOException("container '" + name + "' is already written by another store of this process (" + dir + ")");
        }
        Path aside;
        try {
            if (!Files.isDirectory(dir)) {
                return;
            }
            try (FileChannel channel = FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.tryLock()) {
                if (lock == null) {
                    throw new IOException("container '" + name + "' is already written by another process ("
                            + dir.resolve("LOCK") + " is locked)");
                }
                aside = ContainerDirectories.moveAside(dir);
            }
        } finally {
            CLAIMS.remove(dir);
        }
        if (aside != null) {
            ContainerDirectories.deleteTree(aside);
        }
    }

    /** Busy, try again, timed out. */
    @Override
    public boolean isTransient(IOException failure) {
        return failure instanceof RocksFailure rocks && rocks.isTransient();
    }

    /** Closes the shared cache, write buffer manager and filter; every container was closed first. */
    @Override
    public void close() {
        if (bloom != null) {
            bloom.close();
        }
        writeBuffers.close();
        cache.close();
    }
}
