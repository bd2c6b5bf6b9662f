package io.dataplatform.views;

import io.dataplatform.views.spi.BackendContainer;
import io.dataplatform.views.spi.ViewBackend;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link ViewStore} over one backend: containers opened once each, one shared cache. Thread-safe. */
final class OpenViewStore implements ViewStore {

    private static final Logger LOG = LoggerFactory.getLogger(OpenViewStore.class);

    private final String location;
    private final ViewBackend backend;
    private final ViewStoreOptions options;
    private final DocumentCache cache;
    private final Retry retry;
    private final CommitHook hook;
    private final WriteBehind writeBehind;
    /** Per container name, shared by its writer and readers: what this process committed but has not yet written. */
    private final Map<String, DirtyViews> dirty = new HashMap<>();
    private final Map<String, JournaledContainer> writers = new HashMap<>();
    private final Map<String, ContainerReads> readers = new HashMap<>();
    private boolean closed;

    OpenViewStore(String location, ViewBackend backend, ViewStoreOptions options, DocumentCache cache, CommitHook hook,
            WriteBehind writeBehind) {
        this.location = location;
        this.backend = backend;
        this.options = options;
        this.cache = cache;
        this.retry = new Retry(backend, options.backoff());
        this.hook = hook;
        this.writeBehind = writeBehind;
    }

    @Override
    public synchronized ViewContainer container(String name) {
        ViewKeys.checkContainer(name);
        checkOpen();
        JournaledContainer container = writers.get(name);
        if (container == null) {
            BackendContainer opened = retry.run(name, null, "opening for writing", () -> backend.openContainer(name, true));
            container = new JournaledContainer(name, opened, cache, retry, options.mapper(), dirty(name), hook,
                    options.journalLimitBytes(), writeBehind);
            try {
                container.recover();
            } catch (RuntimeException e) {
                closeQuietly(opened);
                throw e;
            }
            writers.put(name, container);
        }
        return container;
    }

    @Override
    public synchronized ViewReader reader(String name) {
        ViewKeys.checkContainer(name);
        checkOpen();
        ContainerReads container = writers.get(name);
        if (container == null) {
            container = readers.get(name);
        }
        if (container == null) {
            BackendContainer opened = retry.run(name, null, "opening for reading", () -> backend.openContainer(name, false));
            container = new ContainerReads(name, opened, cache, retry, options.mapper(), dirty(name));
            readers.put(name, container);
        }
        return container;
    }

    @Override
    public synchronized List<String> containers() {
        checkOpen();
        List<String> names = retry.run(null, null, "listing the containers", backend::containers);
        return names.stream().filter(ViewKeys::isContainer).sorted().toList();
    }

    @Override
    public synchronized void dropContainer(String name) {
        ViewKeys.checkContainer(name);
        checkOpen();
        JournaledContainer writer = writers.remove(name);
        if (writer != null) {
            writer.discard(); // its waiting views are dropped with it
            closeQuietly(writer.backend);
        }
        forget(name);
        retry.run(name, null, "dropping the container", () -> {
            backend.dropContainer(name);
            return null;
        });
        cache.forgetContainer(name); // again: handles obtained before may have read and cached meanwhile
        LOG.info("Dropped view container {} at {}", name, ViewStores.redacted(location));
    }

    @Override
    public synchronized void releaseContainer(String name) {
        ViewKeys.checkContainer(name);
        checkOpen();
        JournaledContainer writer = writers.remove(name);
        try {
            if (writer != null) {
                writer.close();
            }
        } finally {
            if (writer != null) {
                closeQuietly(writer.backend);
            }
            forget(name);
        }
    }

    /** Closes this store's reader of {@code name} and forgets its dirty set and cached views. */
    private void forget(String name) {
        ContainerReads reader = readers.remove(name);
        if (reader != null) {
            closeQuietly(reader.backend);
        }
        dirty.remove(name);
        cache.forgetContainer(name);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        for (JournaledContainer container : writers.values()) {
            try {
                container.close();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        abandon();
        if (failure != null) {
            throw failure;
        }
    }

    /** Runs a flush pass of every container now, on the calling thread (test seam). */
    synchronized void flush() {
        writers.values().forEach(JournaledContainer::flush);
    }

    /** Releases locks and handles without writing, syncing or dropping anything more: what a crash leaves (test seam). */
    synchronized void abandon() {
        closed = true;
        writers.values().forEach(JournaledContainer::abandon);
        writers.values().forEach(container -> closeQuietly(container.backend));
        readers.values().forEach(container -> closeQuietly(container.backend));
        writers.clear();
        readers.clear();
        try {
            backend.close();
        } catch (IOException e) {
            LOG.warn("Closing the view backend at {} failed", ViewStores.redacted(location), e);
        }
    }

    private DirtyViews dirty(String name) {
        return dirty.computeIfAbsent(name, unused -> new DirtyViews(writeBehind.maxDirtyBytes()));
    }

    private void checkOpen() {
        if (closed) {
            throw new ViewStoreException(null, null, "the view store at " + ViewStores.redacted(location) + " is closed");
        }
    }

    private void closeQuietly(BackendContainer container) {
        try {
            container.close();
        } catch (IOException e) {
            LOG.warn("Closing a view container at {} failed", ViewStores.redacted(location), e);
        }
    }
}
