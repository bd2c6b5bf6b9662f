package io.dataplatform.store.file;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.CommitListener;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CommitWaiters;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.InvalidInputException;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StagingArea;
import io.dataplatform.store.StoreClosedException;
import io.dataplatform.store.StoreEngine;
import io.dataplatform.store.StoreException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.StoreStats;
import io.dataplatform.store.WriterPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Stores as directories under one root: {@code <root>/<store>/chunks/*.dat},
 * {@code <root>/<store>/commit.chk}, and the staging area {@code <root>/.staging/}. This process
 * must be the only writer of the root. Stores are opened (and recovered) on first use. Every file is
 * opened through one {@link FileOpener}, the seam where tests inject disk faults. Thread-safe.
 */
public final class FileStorageEngine implements StoreEngine {

    private static final Logger LOG = LoggerFactory.getLogger(FileStorageEngine.class);

    private final Path root;
    private final EngineOptions options;
    private final WriterPool pool;
    private final HandleBudget budget;
    private final FileStagingArea staging;
    private final List<CommitListener> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<StoreId, FileStore> stores = new ConcurrentHashMap<>();
    /** The commit waits of this engine's readers, per store, woken by the engine's own listener. */
    private final ConcurrentHashMap<StoreId, CommitWaiters> waiters = new ConcurrentHashMap<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final ThreadLocal<GroupEncoder> encoders;
    private final FileOpener opener;
    private volatile boolean closed;

    public FileStorageEngine(Path root, EngineOptions options) {
        this(root, options, FileOpener.DEFAULT);
    }

    /** An engine whose files are all opened through {@code opener} (tests wrap channels to inject faults). */
    FileStorageEngine(Path root, EngineOptions options, FileOpener opener) {
        this.opener = opener;
        this.root = root.toAbsolutePath().normalize();
        this.options = options;
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the storage directory " + this.root, e);
        }
        this.encoders = ThreadLocal.withInitial(() -> new GroupEncoder(options));
        this.pool = new WriterPool("dp-writer", options.writerThreads());
        this.budget = new HandleBudget(options.maxOpenStores());
        this.staging = new FileStagingArea(this.root);
        listeners.add(commit -> {
            CommitWaiters waiting = waiters.get(commit.store());
            if (waiting != null) {
                waiting.advanced(commit.pointer());
            }
        });
        LOG.info("Storage engine on {} (durability {}, chunks of {} bytes, {} writer threads)",
                this.root, options.durability(), options.chunkSize(), options.writerThreads());
    }

    public Path root() {
        return root;
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
    public CompletableFuture<AppendResult> importStaged(StoreId store, Path stagedFile) {
        CompletableFuture<AppendResult> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new StoreClosedException(store.value(), "the storage engine is closed"));
        } else if (!staging.contains(stagedFile)) {
            future.completeExceptionally(new InvalidInputException(store.value(),
                    "staged batch " + stagedFile + " is outside the staging area " + staging.root()));
        } else {
            store(store).offer(new PendingWrite.Import(stagedFile, future));
        }
        return future;
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
        FileStore opened = existing(store).orElseThrow(() -> new StoreNotFoundException(store.value()));
        opened.ensureOpen(false);
        String incarnation = opened.incarnation();
        FileStoreReader.check(store, expectedIncarnation, incarnation);
        return new FileStoreReader(store, opened.directory(), opened::committed, () -> incarnation, opener,
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
        List<StoreId> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (StoreId.isValid(name) && StoreDirectory.holdsStore(entry)) {
                    found.add(StoreId.of(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list stores in " + root, e);
        }
        Collections.sort(found);
        return found;
    }

    @Override
    public Optional<StoreStats> stats(StoreId store) {
        return existing(store).map(opened -> {
            CommitPointer pointer = opened.ensureOpen(false);
            return opened.withLog(log -> {
                ChunkFiles chunks = log.chunks();
                return new StoreStats(store, chunks.totalBytes(), chunks.count(), pointer.version(), pointer.position(),
                        opened.incarnation());
            });
        });
    }

    @Override
    public CompletableFuture<Boolean> delete(StoreId store) {
        return CompletableFuture.supplyAsync(() -> {
            FileStore opened = stores.get(store);
            Path directory = root.resolve(store.value());
            if (opened != null) {
                opened.close("store '" + store + "' was deleted");
            }
            CommitWaiters waiting = waiters.get(store);
            if (waiting != null) {
                waiting.failAll(new StoreClosedException(store.value(), "store '" + store + "' was deleted"));
            }
            boolean existed = Files.isDirectory(directory);
            try {
                StoreDirectory.delete(directory, opener);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete store '" + store + "' in " + directory, e);
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
            FileStore opened = stores.get(store);
            if (opened != null) {
                opened.close("store '" + store + "' is being reopened");
                stores.remove(store, opened);
            }
            Optional<FileStore> fresh = existing(store);
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

    /** Stores holding open file handles now. */
    public int openStores() {
        return budget.openStores();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // one store that cannot be flushed or closed (damaged, a failing disk) stops none of the others
        for (FileStore store : stores.values()) {
            try {
                store.flush();
            } catch (RuntimeException e) {
                LOG.error("Store '{}': cannot commit what was queued before closing", store.id(), e);
            }
        }
        pool.close();
        for (FileStore store : stores.values()) {
            try {
                store.close("the storage engine is closed");
            } catch (RuntimeException e) {
                LOG.error("Store '{}': cannot close", store.id(), e);
            }
        }
        waiters.forEach((id, waiting) -> waiting.failAll(new StoreClosedException(id.value(),
                "the storage engine is closed")));
        LOG.info("Storage engine on {} closed", root);
    }

    private FileStore store(StoreId id) {
        return stores.computeIfAbsent(id, key -> new FileStore(key, root.resolve(key.value()), options, pool, budget,
                listeners, queuedBytes, encoders, opener));
    }

    private Optional<FileStore> existing(StoreId id) {
        FileStore known = stores.get(id);
        if (known != null && known.committed() != null) {
            return Optional.of(known);
        }
        // a store queued for creation exists once its writer has made its directory
        if (!StoreDirectory.holdsStore(root.resolve(id.value()))) {
            return Optional.empty();
        }
        return Optional.of(store(id));
    }
}
