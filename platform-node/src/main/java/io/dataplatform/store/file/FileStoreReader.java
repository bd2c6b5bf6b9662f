package io.dataplatform.store.file;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CorruptLogException;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.FileBackedReader;
import io.dataplatform.store.InvalidPositionException;
import io.dataplatform.store.LocatedRecords;
import io.dataplatform.store.ReadLimits;
import io.dataplatform.store.ReaderWaits;
import io.dataplatform.store.RecordFormat;
import io.dataplatform.store.StoreException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.StoreRecreatedException;
import io.dataplatform.store.log.CommitWaitSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * Reads a store's chunk files directly, read-only, in this process or any other. Holds one chunk
 * file open at a time and one read buffer that grows to the largest batch asked for (or the
 * largest record met) and no further. A batch never spans two chunks. Not thread-safe, except
 * {@link #commitAfter}, which joins the waiters of its {@link CommitWaitSource} (the engine's, or
 * the process's commit pointer watcher) and may be called from any thread.
 */
final class FileStoreReader implements FileBackedReader {

    private final StoreId store;
    private final ChunkFiles chunks;
    private final Supplier<CommitPointer> pointerSource;
    private final Supplier<String> incarnationSource;
    private final CRC32C crc = new CRC32C();
    private final EventBatch batch = new EventBatch();
    private ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    /** A duplicate of {@link #buffer} for feeding checksums without allocating. */
    private ByteBuffer checksumView = buffer.duplicate();
    private FileChannel channel;
    private long channelStart = -1;
    private final FileOpener opener;
    private final CommitWaitSource waitSource;
    private final ReaderWaits waits;

    FileStoreReader(StoreId store, Path storeDirectory, Supplier<CommitPointer> pointerSource,
                    Supplier<String> incarnationSource, FileOpener opener, CommitWaitSource waitSource) {
        this.opener = opener;
        this.store = store;
        this.waits = new ReaderWaits(store.value());
        this.chunks = new ChunkFiles(store.value(), storeDirectory).refresh();
        this.pointerSource = pointerSource;
        this.incarnationSource = incarnationSource;
        this.waitSource = waitSource;
    }

    /**
     * A reader that follows the pointer file on disk, as readers outside the node do; its commit
     * waits are served by {@code watcher}. It reads the store's incarnation when it opens and again
     * with every commit pointer, so that a store deleted and created again under it raises
     * {@link StoreRecreatedException} instead of being read as if it were the same log.
     *
     * @param expectedIncarnation the incarnation the caller's position belongs to, or null for any
     */
    static FileStoreReader following(StoreId store, Path storeDirectory, String expectedIncarnation,
                                     CommitPointerWatcher watcher) {
        Path pointerPath = storeDirectory.resolve(CommitPointerFile.NAME);
        String[] known = {readIncarnation(store, storeDirectory)};
        check(store, expectedIncarnation, known[0]);
        Supplier<CommitPointer> pointer = () -> {
            CommitPointer read = readPointer(store, pointerPath);
            String now = readIncarnation(store, storeDirectory);
            if (known[0] == null && expectedIncarnation == null) {
                known[0] = now; // a store from before incarnations got its first one from the node
            } else if (!Objects.equals(known[0], now)) {
                throw new StoreRecreatedException(store.value(), known[0] == null ? expectedIncarnation : known[0], now);
            }
            return read;
        };
        return new FileStoreReader(store, storeDirectory, pointer, () -> known[0], FileOpener.DEFAULT,
                watcher.source(store, storeDirectory));
    }

    /** Throws {@link StoreRecreatedException} unless {@code expected} is null or {@code actual}. */
    static void check(StoreId store, String expected, String actual) {
        if (expected != null && !expected.equals(actual)) {
            throw new StoreRecreatedException(store.value(), expected, actual);
        }
    }

    private static String readIncarnation(StoreId store, Path storeDirectory) {
        try {
            return IncarnationFile.read(store.value(), storeDirectory, FileOpener.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the incarnation of store '" + store + "' in " + storeDirectory, e);
        }
    }

    static CommitPointer readPointer(StoreId store, Path pointerPath) {
        try {
            return CommitPointerFile.read(pointerPath).orElseThrow(() -> new StoreException(store.value(),
                    "the commit pointer of store '" + store + "' (" + pointerPath
                            + ") is missing or damaged; the node rebuilds it when it opens the store"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pointerPath, e);
        }
    }

    @Override
    public StoreId store() {
        return store;
    }

    @Override
    public String incarnation() {
        return incarnationSource.get();
    }

    @Override
    public CommitPointer commitPointer() {
        return pointerSource.get();
    }

    @Override
    public CompletableFuture<CommitPointer> commitAfter(long after, Duration timeout) {
        return waits.start(() -> waitSource.waiters().await(after, timeout, pointerSource));
    }

    @Override
    public EventBatch read(long from, int maxEvents, int maxBytes) {
        if (maxEvents < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxEvents and maxBytes must be positive");
        }
        CommitPointer limit = pointerSource.get();
        if (from < 0) {
            throw new InvalidPositionException(store.value(), from, "position " + from + " is negative");
        }
        if (from > limit.position()) {
            throw new InvalidPositionException(store.value(), from, "position " + from
                    + " is past the commit pointer " + limit.position() + " of store '" + store + "'");
        }
        if (from == limit.position()) {
            batch.resetEmpty(from);
            return batch;
        }
        try {
            return readAt(from, limit, maxEvents, maxBytes);
        } catch (StoreException e) {
            if (!(e instanceof CorruptLogException) && !(e.getCause() instanceof NoSuchFileException)) {
                throw e;
            }
            // The chunk listing may be stale: a failed commit's new chunk, listed here, was deleted
            // by its rollback and the log has since grown past where it began. Read the listing
            // again and retry once; what is still wrong after that is real.
            closeChannel();
            chunks.refresh();
            return readAt(from, limit, maxEvents, maxBytes);
        }
    }

    private EventBatch readAt(long from, CommitPointer limit, int maxEvents, int maxBytes) {
        long chunkStart;
        long end;
        try {
            chunkStart = locate(from, limit.position());
            end = chunkEnd(chunkStart, limit.position());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the chunks of store '" + store + "'", e);
        }
        try {
            readRecords(chunkStart, from, end, maxEvents, Math.min(maxBytes, ReadLimits.MAX_BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read store '" + store + "' chunk "
                    + ChunkFiles.fileName(chunkStart) + " at " + from, e);
        }
        return batch;
    }

    /** Where the committed records of the chunk starting at {@code chunkStart} end: the next chunk's start, or the commit position. */
    private long chunkEnd(long chunkStart, long committed) {
        long nextChunk = chunks.nextStart(chunkStart);
        return nextChunk < 0 ? committed : Math.min(nextChunk, committed);
    }

    /**
     * The start of the chunk holding {@code position}. The listing is read again only when the
     * position lies past what the known chunks hold: when the last known chunk's file ends before
     * the commit pointer, the writer has started a new chunk since.
     */
    private long locate(long position, long limit) throws IOException {
        long start = chunks.startOf(position);
        if (start >= 0 && chunks.nextStart(start) < 0 && start + channel(start).size() < limit) {
            start = -1;
        }
        if (start < 0) {
            chunks.refresh();
            start = chunks.startOf(position);
        }
        if (start < 0) {
            throw new CorruptLogException(store.value(), "(none)", position,
                    "no chunk file holds this committed position (commit pointer " + limit + ")");
        }
        return start;
    }

    private void readRecords(long chunkStart, long from, long end, int maxEvents, int maxBytes) throws IOException {
        FileChannel file = channel(chunkStart);
        long offsetInChunk = from - chunkStart;
        int wanted = (int) Math.min(end - from, Math.max(maxBytes, RecordFormat.PREFIX_SIZE));
        fill(file, offsetInChunk, wanted, chunkStart, from);
        batch.reset(buffer, from);
        int offset = 0;
        int available = buffer.limit();
        long lastVersion = -1;
        while (batch.size() < maxEvents && available - offset >= RecordFormat.PREFIX_SIZE) {
            int length = RecordFormat.length(buffer, offset);
            if (length < RecordFormat.MIN_LENGTH || length > RecordFormat.MAX_LENGTH
                    || from + offset + RecordFormat.PREFIX_SIZE + (long) length > end) {
                reportBadRecord(chunkStart, from + offset, "impossible record length " + length);
            }
            int size = RecordFormat.PREFIX_SIZE + length;
            if (offset + size > available) {
                if (batch.size() > 0) {
                    break;
                }
                // a single record larger than the batch limit: read it whole
                fill(file, offsetInChunk, size, chunkStart, from);
                batch.reset(buffer, from);
                available = buffer.limit();
            }
            String problem = RecordFormat.verify(crc, buffer, checksumView, offset);
            if (problem != null) {
                reportBadRecord(chunkStart, from + offset, problem);
            }
            long version = RecordFormat.version(buffer, offset);
            if (lastVersion >= 0 && version != lastVersion + 1) {
                throw new CorruptLogException(store.value(), ChunkFiles.fileName(chunkStart), from + offset,
                        "store version " + version + " follows " + lastVersion);
            }
            lastVersion = version;
            batch.add(offset);
            offset += size;
        }
        if (batch.isEmpty()) {
            reportBadRecord(chunkStart, from, "truncated record before the commit pointer");
        }
    }

    /** Reads {@code length} bytes of the chunk from {@code offset} into the buffer, growing it if needed. */
    private void fill(FileChannel file, long offset, int length, long chunkStart, long position) throws IOException {
        if (buffer.capacity() < length) {
            buffer = ByteBuffer.allocateDirect(Math.max(length, Math.min(ReadLimits.MAX_BYTES, buffer.capacity() * 2)));
            checksumView = buffer.duplicate();
        }
        buffer.clear().limit(length);
        while (buffer.hasRemaining()) {
            int n = file.read(buffer, offset + buffer.position());
            if (n < 0) {
                throw new CorruptLogException(store.value(), ChunkFiles.fileName(chunkStart), position + buffer.position(),
                        "chunk file ends before the commit pointer");
            }
        }
        buffer.flip();
    }

    /**
     * A record that does not verify where one should start. If the position is the start of its
     * chunk or was reached by reading from one, the log is damaged; otherwise the caller may simply
     * have asked for a position inside a record: tell the two apart by walking the chunk.
     */
    private void reportBadRecord(long chunkStart, long position, String problem) throws IOException {
        if (position != chunkStart && batch.isEmpty() && !isRecordBoundary(chunkStart, position)) {
            throw new InvalidPositionException(store.value(), position, "position " + position
                    + " is not on a record boundary of store '" + store + "'");
        }
        throw new CorruptLogException(store.value(), ChunkFiles.fileName(chunkStart), position, problem);
    }

    private boolean isRecordBoundary(long chunkStart, long position) throws IOException {
        FileChannel file = channel(chunkStart);
        ByteBuffer prefix = ByteBuffer.allocate(RecordFormat.PREFIX_SIZE);
        long at = chunkStart;
        while (at < position) {
            prefix.clear();
            while (prefix.hasRemaining()) {
                if (file.read(prefix, at - chunkStart + prefix.position()) < 0) {
                    return false;
                }
            }
            int length = prefix.getInt(0);
            if (length < RecordFormat.MIN_LENGTH || length > RecordFormat.MAX_LENGTH) {
                return false;
            }
            at += RecordFormat.PREFIX_SIZE + length;
        }
        return at == position;
    }

    private FileChannel channel(long chunkStart) throws IOException {
        if (channel != null && channelStart == chunkStart) {
            return channel;
        }
        closeChannel();
        try {
            channel = opener.open(chunks.path(chunkStart), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new StoreException(store.value(), "chunk " + ChunkFiles.fileName(chunkStart) + " of store '"
                    + store + "' is gone (was the store deleted?)", e);
        }
        channelStart = chunkStart;
        return channel;
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only handle: nothing to lose
            }
            channel = null;
            channelStart = -1;
        }
    }

    @Override
    public LocatedRecords locate(long from, int maxEvents, int maxBytes, long minBytes) {
        CommitPointer limit = pointerSource.get();
        if (from < 0 || from >= limit.position() || maxEvents < 1 || maxBytes < 1) {
            return null;
        }
        long chunkStart;
        long end;
        try {
            chunkStart = locate(from, limit.position());
            end = chunkEnd(chunkStart, limit.position());
        } catch (IOException | RuntimeException e) {
            return null; // read() finds out what is wrong, and says it
        }
        long span = Math.min(end - from, Math.min(maxBytes, ReadLimits.MAX_BYTES));
        if (span < Math.max(minBytes, RecordFormat.PREFIX_SIZE)) {
            return null;
        }
        FileChannel file;
        try {
            file = opener.open(chunks.path(chunkStart), StandardOpenOption.READ);
        } catch (IOException e) {
            return null;
        }
        LocatedRecords found = null;
        try {
            found = walk(file, from, from - chunkStart, (int) span, maxEvents, minBytes);
        } catch (IOException | RuntimeException | InternalError e) {
            // InternalError: the JVM's report of a fault reading a mapping (a file cut short under it)
            found = null;
        } finally {
            if (found == null) {
                closeQuietly(file);
            }
        }
        return found;
    }

    /**
     * Walks whole records from {@code offsetInChunk} through a mapping of {@code span} bytes of
     * the chunk: lengths and versions only, and the first record's checksum. The mapping is
     * released before returning: nothing reads it afterwards.
     */
    private LocatedRecords walk(FileChannel file, long from, long offsetInChunk, int span, int maxEvents,
                                long minBytes) throws IOException {
        if (offsetInChunk + span > file.size()) {
            return null; // a chunk cut short: reading a mapping past its end would fault
        }
        MappedByteBuffer map = file.map(FileChannel.MapMode.READ_ONLY, offsetInChunk, span);
        try {
            if (RecordFormat.verify(crc, map, map.duplicate(), 0) != null) {
                return null; // not a record boundary, or a damaged record: read() tells which
            }
            int offset = 0;
            int count = 0;
            long lastVersion = -1;
            while (count < maxEvents && span - offset >= RecordFormat.PREFIX_SIZE) {
                int length = RecordFormat.length(map, offset);
                if (length < RecordFormat.MIN_LENGTH || length > RecordFormat.MAX_LENGTH
                        || offset + RecordFormat.PREFIX_SIZE + (long) length > span) {
                    break; // beyond the limits, or in doubt: the records before it are answered
                }
                long version = RecordFormat.version(map, offset);
                if (lastVersion >= 0 && version != lastVersion + 1) {
                    break;
                }
                lastVersion = version;
                count++;
                offset += RecordFormat.PREFIX_SIZE + length;
            }
            if (count == 0 || offset < minBytes) {
                return null;
            }
            return new LocatedRecords(file, offsetInChunk, offset, count, from + offset);
        } finally {
            Mappings.unmap(map);
        }
    }

    private static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (IOException ignored) {
            // read-only handle: nothing to lose
        }
    }

    @Override
    public void close() {
        waits.close();
        closeChannel();
        waitSource.release();
    }
}
