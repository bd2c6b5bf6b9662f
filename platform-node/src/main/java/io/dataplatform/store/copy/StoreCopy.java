package io.dataplatform.store.copy;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CorruptLogException;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.InvalidPositionException;
import io.dataplatform.store.RecordFormat;
import io.dataplatform.store.StoreException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.log.LogSpace;
import io.dataplatform.store.log.StoreLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;

/**
 * Copies one store from a location to another (files to blobs, blobs to files, files to files),
 * byte for byte: the committed records are read from the source with its direct reader, verified
 * one by one (checksum, positions contiguous, versions one more each, no record across a chunk,
 * the commit flag where a commit ends) and written as they are, never re-encoded, through the
 * target backend's own log ({@link StoreLog}), rolling a new chunk exactly where the source starts
 * one. The target gets the source's incarnation and, at the end, the source's commit pointer (as
 * it was when the copy started), so a position a reader saved against the source is valid against
 * the copy.
 *
 * <p>Never overwrites: a target store that is there already is refused ({@link
 * TargetExistsException}) unless it is an unfinished copy of the same source (same incarnation, a
 * commit pointer inside the source's log at a chunk start of both): the copy then resumes from it.
 * The target is committed at chunk boundaries, each commit synced, so an interrupted copy leaves a
 * target that holds a prefix of the source's commits (a store of its own, readable, with the
 * source's incarnation) and resumes where it stopped when run again. A record that does not verify
 * stops the copy with {@link CorruptLogException} naming the source's chunk and position; a target
 * created by that run is then deleted, so nothing of it stays committed.
 *
 * <p>Memory is flat: one batch of records (about {@link #BATCH_BYTES}) is in memory at a time,
 * whatever the store's size. Not thread-safe: one copy per instance.
 */
public final class StoreCopy {

    private static final Logger LOG = LoggerFactory.getLogger(StoreCopy.class);
    /** Bytes of records read and written at a time: whole records, a few blocks of an append blob. */
    static final int BATCH_BYTES = 4 * 1024 * 1024;
    private static final int BATCH_EVENTS = 1_000_000;

    /** Told of progress after every batch written. */
    @FunctionalInterface
    public interface Listener {
        void copied(long events, long bytes);
    }

    private final CopyLocation source;
    private final CopyLocation target;
    private final Listener listener;
    private final BooleanSupplier stopping;
    private final CRC32C crc = new CRC32C();

    /**
     * @param stopping asked between batches: when it answers true the copy stops at its last commit
     *                 (resumable) and {@link #copy} throws {@link CopyStoppedException}
     */
    public StoreCopy(CopyLocation source, CopyLocation target, Listener listener, BooleanSupplier stopping) {
        this.source = Objects.requireNonNull(source, "source");
        this.target = Objects.requireNonNull(target, "target");
        this.listener = listener == null ? (events, bytes) -> { } : listener;
        this.stopping = stopping == null ? () -> false : stopping;
    }

    /**
     * Copies store {@code from} of the source to store {@code to} of the target.
     *
     * @throws io.dataplatform.store.StoreNotFoundException if the source has no such store
     * @throws TargetExistsException                      if the target store is there and is not an
     *                                                    unfinished copy of the source
     * @throws CorruptLogException                        if a source record does not verify
     * @throws io.dataplatform.store.StoreHeldException   if another writer holds the target store
     * @throws CopyStoppedException                       if {@code stopping} stopped it
     */
    public CopyResult copy(StoreId from, StoreId to) throws IOException {
        long started = System.nanoTime();
        try (StoreReader reader = source.openReader(from)) {
            String incarnation = reader.incarnation();
            if (incarnation == null) {
                throw new StoreException(from.value(), "store '" + from + "' of " + source.describe()
                        + " has no incarnation yet (written before incarnations existed): let a node open it once,"
                        + " then copy it");
            }
            CommitPointer pointer = reader.commitPointer();
            NavigableSet<Long> chunks = committedChunks(from, pointer);
            LogSpace space = target.space();
            boolean created = false;
            if (space.exists(to)) {
                String theirs = target.incarnation(to);
                if (!incarnation.equals(theirs)) {
                    throw new TargetExistsException(to.value(), "store '" + to + "' is already in " + target.describe()
                            + (theirs == null ? "" : " (incarnation " + theirs + ")")
                            + ": a copy never overwrites a store; delete it first or copy to another store id");
                }
            } else {
                target.createStore(to, incarnation);
                created = true;
            }
            // a target of the source's incarnation is an unfinished copy: opening it recovers it to its last
            // commit (and finishes its creation if that was cut short)
            StoreLog log = space.open(to, true);
            try {
                long resumedFrom = log.committed().position();
                NavigableSet<Long> targetChunks = target.chunkStarts(to);
                checkJoin(from, to, reader, pointer, chunks, log, targetChunks);
                if (resumedFrom > 0) {
                    LOG.info("Copy of store '{}' to '{}' resumes at position {}", from, to, resumedFrom);
                }
                Copied copied = copyRecords(from, reader, log, pointer, chunks, targetChunks.floor(resumedFrom));
                int chunkCount = log.chunkCount();
                log.close();
                return new CopyResult(pointer, incarnation, resumedFrom, copied.events, copied.bytes, chunkCount,
                        System.nanoTime() - started);
            } catch (CopyStoppedException e) {
                abandon(log, to, false);
                throw e;
            } catch (IOException | RuntimeException e) {
                abandon(log, to, created);
                throw e;
            }
        }
    }

    private record Copied(long events, long bytes) {
    }

    /** The source's chunks that hold committed bytes (and chunk 0, which every store has). */
    private NavigableSet<Long> committedChunks(StoreId from, CommitPointer pointer) throws IOException {
        NavigableSet<Long> all = source.chunkStarts(from);
        TreeSet<Long> committed = new TreeSet<>(all.headSet(pointer.position(), false));
        if (committed.isEmpty() || committed.first() != 0) {
            throw new CorruptLogException(from.value(), committed.isEmpty() ? "(none)" : chunkName(committed.first()), 0,
                    "no chunk starts at position 0 (chunks: " + all + ")");
        }
        return committed;
    }

    /**
     * Checks that the target's log is where the copy may continue it: its commit pointer inside the
     * source's log at a record boundary with the same version, and the same chunk starts below it.
     */
    private static void checkJoin(StoreId from, StoreId to, StoreReader reader, CommitPointer pointer,
                                  NavigableSet<Long> chunks, StoreLog log, NavigableSet<Long> targetChunks) {
        CommitPointer at = log.committed();
        if (at.position() == 0) {
            return;
        }
        String problem = null;
        if (at.position() > pointer.position()) {
            problem = "it is ahead of the source (" + at + " past " + pointer + ")";
        } else if (!chunks.headSet(at.position(), false).equals(targetChunks.headSet(at.position(), false))) {
            problem = "its chunks start at " + targetChunks + ", the source's at " + chunks;
        } else if (at.position() == pointer.position()) {
            if (at.version() != pointer.version()) {
                problem = "its version at " + at.position() + " is " + at.version() + ", the source's " + pointer.version();
            }
        } else {
            try {
                EventBatch next = reader.read(at.position(), 1, 1);
                if (next.isEmpty() || next.version(0) != at.version() + 1) {
                    problem = "its version at " + at.position() + " does not continue the source's";
                }
            } catch (InvalidPositionException e) {
                problem = "its commit pointer " + at.position() + " is not on a record boundary of the source";
            }
        }
        if (problem != null) {
            throw new TargetExistsException(to.value(), "store '" + to + "' of the target has the incarnation of '"
                    + from + "' but is not a prefix of it: " + problem + "; a copy never overwrites a store");
        }
    }

    private Copied copyRecords(StoreId from, StoreReader reader, StoreLog log, CommitPointer pointer,
                               NavigableSet<Long> chunks, long targetChunk) throws IOException {
        long position = log.committed().position();
        long version = log.committed().version();
        boolean commitEnd = true;
        long lastChunk = targetChunk;
        long events = 0;
        long bytes = 0;
        while (position < pointer.position()) {
            if (stopping.getAsBoolean()) {
                throw new CopyStoppedException(from.value(), log.committed());
            }
            long chunk = chunks.floor(position);
            Long nextChunk = chunks.higher(position);
            long chunkEnd = nextChunk == null ? pointer.position() : nextChunk;
            EventBatch batch = reader.read(position, BATCH_EVENTS, (int) Math.min(BATCH_BYTES, chunkEnd - position));
            if (batch.isEmpty()) {
                throw new CorruptLogException(from.value(), chunkName(chunk), position,
                        "no record where the log continues up to the commit pointer " + pointer.position());
            }
            ByteBuffer raw = batch.rawRecords();
            int count = 0;
            long end = position;
            long batchVersion = version;
            boolean batchCommitEnd = commitEnd;
            for (int i = 0; i < batch.size() && batch.next(i) <= pointer.position(); i++) {
                int offset = (int) (batch.position(i) - batch.from());
                String broken = batch.position(i) != end ? "the record is at " + batch.position(i) + ", not at " + end
                        : batch.next(i) > chunkEnd ? "the record runs past the end of its chunk (" + chunkEnd + ")"
                        : batch.version(i) != batchVersion + 1 ? "store version " + batch.version(i) + " where "
                        + (batchVersion + 1) + " was expected"
                        : RecordFormat.verify(crc, raw, offset);
                if (broken != null) {
                    throw new CorruptLogException(from.value(), chunkName(chunk), batch.position(i), broken);
                }
                batchVersion = batch.version(i);
                batchCommitEnd = RecordFormat.isCommitEnd(raw, offset);
                end = batch.next(i);
                count++;
            }
            if (count == 0) {
                throw new CorruptLogException(from.value(), chunkName(chunk), position,
                        "the record there runs past the commit pointer " + pointer.position());
            }
            if (chunk != lastChunk) {
                // the source starts a chunk here: commit what is whole (a copy resumes from here), then roll
                if (commitEnd && position > log.committed().position()) {
                    commit(log, version);
                }
                log.roll();
                lastChunk = chunk;
            }
            ByteBuffer records = raw.duplicate();
            records.position((int) (position - batch.from())).limit((int) (end - batch.from()));
            log.write(records);
            version = batchVersion;
            commitEnd = batchCommitEnd;
            events += count;
            bytes += end - position;
            position = end;
            listener.copied(events, bytes);
        }
        if (!log.committed().equals(pointer)) {
            if (!commitEnd) {
                throw new CorruptLogException(from.value(), chunkName(chunks.last()), pointer.position(),
                        "the record that ends at the commit pointer does not carry the commit flag");
            }
            if (version != pointer.version()) {
                throw new CorruptLogException(from.value(), chunkName(chunks.last()), pointer.position(),
                        "the commit pointer says store version " + pointer.version()
                                + " but the last record before it has version " + version);
            }
            commit(log, version);
        }
        return new Copied(events, bytes);
    }

    /** Makes what was written durable and moves the target's commit pointer to it, durably. */
    private static void commit(StoreLog log, long version) throws IOException {
        log.sync();
        log.commit(version);
        log.syncPointer();
    }

    /**
     * After a failure: the commit in progress is undone (the target keeps its last commit, from
     * which a copy resumes), and a target this run created is deleted.
     */
    private void abandon(StoreLog log, StoreId to, boolean delete) {
        try {
            log.rollback();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Copy to store '{}': undoing the unfinished commit failed ({}); the store's recovery cuts it", to,
                    e.toString());
        }
        try {
            log.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Copy to store '{}': closing its log failed ({})", to, e.toString());
        }
        if (delete) {
            try {
                target.space().delete(to);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Copy to store '{}': deleting the unfinished target failed ({}); delete it by hand", to,
                        e.toString());
            }
        }
    }

    static String chunkName(long start) {
        String digits = Long.toString(start);
        return "0".repeat(20 - digits.length()) + digits + ".dat";
    }
}
