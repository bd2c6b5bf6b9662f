package io.dataplatform.store.log;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.CommitListener;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CommitWaiters;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.InvalidInputException;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StagedBatch;
import io.dataplatform.store.StagingArea;
import io.dataplatform.store.StoreClosedException;
import io.dataplatform.store.StoreEngine;
import io.dataplatform.store.StoreException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.StoreRecreatedException;
import io.dataplatform.store.StoreStats;
import io.dataplatform.store.WriterPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The storage engine over any backend: every rule of writing stores (per-store writer queues with
 * back-pressure, group commit, durability, failure states, commit listeners, commit waits, atomic
 * imports of staged batches, a bound on stores holding handles) lives here, and a backend only
 * provides a {@link LogSpace} (finding, creating, opening, reading, deleting stores, and a staging
 * area) and the {@link StoreLog} of each store it opens. This process must be the only writer of
 * the space's stores. Stores are opened (and recovered) on first use. Thread-safe.
 *
 * <p>A backend plugs in by implementing {@link LogSpace} and {@link StoreLog}, and its
 * {@link io.dataplatform.store.StorageProvider#openEngine} returns
 * {@code new LogStorageEngine(space, options)} (or a subclass naming the backend, as
 * {@code FileStorageEngine} does).
 */
public class LogStorageEngine implements StoreEngine {

    private static final Logger LOG = LoggerFactory.getLogger(LogStorageEngine.class);

    private final LogSpace space;
    private final EngineOptions options;
    private final WriterPool pool;
    private final HandleBudget budget;
    private final StagingArea staging;
    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<StoreId, LogStore> stores = new ConcurrentHashMap<>();
    /** The commit waits of this engine's readers, per store, woken by the engine's own listener. */
    private final ConcurrentHashMap<StoreId, CommitWaiters> waiters = new ConcurrentHashMap<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final ThreadLocal<GroupEncoder> encoders;
    private volatile boolean closed;

    /**
     * An engine writing the stores of {@code space}, which it closes when it closes.
     *
     * @param options the options the space was made with (chunk size, durability)
     */
    public LogStorageEngine(LogSpace space, EngineOptions options) {
        this.space = space;
        this.options = options;
        this.encoders = ThreadLocal.withInitial(() -> new GroupEncoder(options));
        this.pool = new WriterPool("dp-writer", options.writerThreads());
        this.budget = new HandleBudget(options.maxOpenStores());
        this.staging = space.staging();
        listeners.add(commit -> {
            CommitWaiters waiting = waiters.get(commit.store());
            if (waiting != null) {
                waiting.advanced(commit.pointer());
            }
        });
        LOG.info("Storage engine on {} (durability {}, chunks of {} bytes, {} writer threads)",
                space.describe(), options.durability(), options.chunkSize(), options.writerThreads());
    }

    /** The space this engine writes. */
    protected LogSpace space() {
        return space;
    }

    @Override
    public EngineOptions options() {
        return options;
    }

    @Override
    public CompletableFuture<AppendResult> append(StoreId store, List<NewEvent> events) {
        CompletableFuture<AppendResult> future = new CompletableFuture<>();
        try {
            long bytes = validate(store, events);
            store(store).offer(new PendingWrite.Append(List.copyOf(events), bytes, future));
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
        }
        return future;
    }

    private long validate(StoreId store, List<NewEvent> events) {
        if (closed) {
            throw new StoreClosedException(store.value(), "the storage engine is closed");
        }
        if (events.isEmpty()) {
            throw new InvalidInputException(store.value(), "an append holds at least one event");
        }
        long bytes = 0;
        for (int i = 0; i < events.size(); i++) {
            NewEvent event = events.get(i);
            if (event.dataLength() > options.maxEventSize()) {
                throw new InvalidInputException(store.value(), "event " + i + " has " + event.dataLength()
                        + " bytes of data, over the limit of " + options.maxEventSize());
            }
            bytes += event.recordSize();
        }
        if (bytes > options.maxQueuedBytes()) {
            throw new InvalidInputException(store.value(), "an append of " + bytes
                    + " bytes is larger than a writer queue (" + options.maxQueuedBytes()
                    + " bytes); send it as a staged batch");
        }
        return bytes;
    }

    @Override
    public CompletableFuture<AppendResult> importStaged(StoreId store, StagedBatch batch) {
        CompletableFuture<AppendResult> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new StoreClosedException(store.value(), "the storage engine is closed"));
        } else if (!staging.contains(batch)) {
            future.completeExceptionally(new InvalidInputException(store.value(),
                    "staged batch '" + batch.location() + "' is not in the staging area " + staging.describe()));
        } else {
            store(store).offer(new PendingWrite.Import(batch, future));
        }
        return future;
    }

    @Override
    public CompletableFuture<AppendResult> importStaged(StoreId store, String location) {
        if (closed) {
            return CompletableFuture.failedFuture(new StoreClosedException(store.value(), "the storage engine is closed"));
        }
        return StoreEngine.super.importStaged(store, location);
    }

    @Override
    public StagingArea stagingArea() {
        return staging;
    }

    @Override
    public StoreReader openReader(StoreId store) {
        return openReader(store, null);
    }

    @Override
    public StoreReader openReader(StoreId store, String expectedIncarnation) {
        LogStore opened = existing(store).orElseThrow(() -> new StoreNotFoundException(store.value()));
        opened.ensureOpen(false);
        String incarnation = opened.incarnation();
        if (expectedIncarnation != null && !expectedIncarnation.equals(incarnation)) {
            throw new StoreRecreatedException(store.value(), expectedIncarnation, incarnation);
        }
        return space.openReader(store, opened::committed, () -> incarnation,
                CommitWaitSource.of(() -> {
                    if (closed) {
                        throw new StoreClosedException(store.value(), "the storage engine is closed");
                    }
                    return waiters.computeIfAbsent(store, CommitWaiters::new);
                }));
    }

    @Override
    public Optional<CommitPointer> commitPointer(StoreId store) {
        return existing(store).map(opened -> opened.ensureOpen(false));
    }

    @Override
    public List<StoreId> list() {
        List<StoreId> found;
        try {
            found = new ArrayList<>(space.list());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list stores in " + space.describe(), e);
        }
        Collections.sort(found);
        return found;
    }

    @Override
    public Optional<StoreStats> stats(StoreId store) {
        return existing(store).map(opened -> {
            CommitPointer pointer = opened.ensureOpen(false);
            return opened.withLog(log -> {
                try {
                    return log == null
                            ? new StoreStats(store, pointer.position(), 0, pointer.version(), pointer.position(),
                            opened.incarnation())
                            : new StoreStats(store, log.storedBytes(), log.chunkCount(), pointer.version(),
                            pointer.position(), opened.incarnation());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the size of store '" + store + "' in "
                            + space.describe(), e);
                }
            });
        });
    }

    @Override
    public CompletableFuture<Boolean> delete(StoreId store) {
        return CompletableFuture.supplyAsync(() -> {
            LogStore opened = stores.get(store);
            if (opened != null) {
                opened.close("store '" + store + "' was deleted");
            }
            CommitWaiters waiting = waiters.get(store);
            if (waiting != null) {
                waiting.failAll(new StoreClosedException(store.value(), "store '" + store + "' was deleted"));
            }
            boolean existed;
            try {
                existed = space.delete(store);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete store '" + store + "' in " + space.describe(), e);
            } finally {
                if (opened != null) {
                    stores.remove(store, opened);
                }
            }
            if (existed) {
                LOG.info("Store '{}' deleted", store);
            }
            return existed;
        }, pool);
    }

    @Override
    public Map<StoreId, String> failedStores() {
        Map<StoreId, String> failed = new TreeMap<>();
        stores.forEach((id, store) -> {
            String why = store.refusal();
            if (why != null) {
                failed.put(id, why);
            }
        });
        return failed;
    }

    @Override
    public Map<StoreId, StoreException> damagedStores() {
        Map<StoreId, StoreException> damaged = new TreeMap<>();
        stores.forEach((id, store) -> {
            StoreException damage = store.damage();
            if (damage != null) {
                damaged.put(id, damage);
            }
        });
        return damaged;
    }

    @Override
    public CompletableFuture<Boolean> reopen(StoreId store) {
        return CompletableFuture.supplyAsync(() -> {
            LogStore opened = stores.get(store);
            if (opened != null) {
                opened.close("store '" + store + "' is being reopened");
                stores.remove(store, opened);
            }
            Optional<LogStore> fresh = existing(store);
            fresh.ifPresent(reopened -> reopened.ensureOpen(false));
            if (fresh.isPresent()) {
                LOG.info("Store '{}' reopened", store);
            }
            return fresh.isPresent();
        }, pool);
    }

    @Override
    public AutoCloseable addCommitListener(CommitListener listener) {
        // a wrapper per registration: the same listener added twice is removed once per close
        CommitListener registered = listener::committed;
        listeners.add(registered);
        return () -> listeners.remove(registered);
    }

    @Override
    public long queuedBytes() {
        return queuedBytes.get();
    }

    /** Stores whose logs hold open handles now (files, connections), at most about {@link EngineOptions#maxOpenStores()}. */
    public final int openStores() {
        return budget.openStores();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // one store that cannot be flushed or closed (damaged, a failing disk) stops none of the others
        for (LogStore store : stores.values()) {
            try {
                store.flush();
            } catch (RuntimeException e) {
                LOG.error("Store '{}': cannot commit what was queued before closing", store.id(), e);
            }
        }
        pool.close();
        for (LogStore store : stores.values()) {
            try {
                store.close("the storage engine is closed");
            } catch (RuntimeException e) {
                LOG.error("Store '{}': cannot close", store.id(), e);
            }
        }
        waiters.forEach((id, waiting) -> waiting.failAll(new StoreClosedException(id.value(),
                "the storage engine is closed")));
        try {
            space.close();
        } catch (RuntimeException e) {
            LOG.error("Storage engine on {}: cannot close its storage", space.describe(), e);
        }
        LOG.info("Storage engine on {} closed", space.describe());
    }

    /** True if this engine has opened {@code store} (recovered it and, on shared storage, holds it). */
    protected final boolean isOpen(StoreId store) {
        LogStore known = stores.get(store);
        return known != null && known.committed() != null;
    }

    private LogStore store(StoreId id) {
        return stores.computeIfAbsent(id, key -> new LogStore(key, space, options, pool, budget, listeners, queuedBytes,
                encoders));
    }

    private Optional<LogStore> existing(StoreId id) {
        LogStore known = stores.get(id);
        if (known != null && known.committed() != null) {
            return Optional.of(known);
        }
        // a store queued for creation exists once its writer has made its directory
        if (!space.holdsStore(id)) {
            return Optional.empty();
        }
        return Optional.of(store(id));
    }
}
