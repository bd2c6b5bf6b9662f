package io.dataplatform.projections.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.dataplatform.client.NodeCredentials;
import io.dataplatform.projections.ConfigKey;
import io.dataplatform.projections.FrameworkKeys;
import io.dataplatform.projections.Projection;
import io.dataplatform.projections.ProjectionConfig;
import io.dataplatform.projections.ProjectionRunner;
import io.dataplatform.projections.ProjectionStatus;
import io.dataplatform.projections.RunnerSettings;
import io.dataplatform.projections.StoreReaders;
import io.dataplatform.projections.plugins.ProjectionPlugins;
import io.dataplatform.rules.StorageName;
import io.dataplatform.store.StoreId;
import io.dataplatform.views.ViewContainer;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStoreOptions;
import io.dataplatform.views.ViewStores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Runs many projections, as a Kafka Connect worker runs connectors: creates them from
 * configurations (validated against the framework's keys and the plugin's), keeps the
 * configurations in {@link ProjectionConfigFiles} so that a restarted worker resumes every projection
 * from its checkpoint, and pauses, resumes, restarts, rebuilds and deletes them. Each projection has
 * a {@link ProjectionRunner} (a thread) of its own; a failing one never stops the others.
 *
 * <p>Owns the view stores it opens (one per views location, shared by the projections that use it)
 * and closes them on {@link #close}. Thread-safe: lifecycle methods are serialized; they may block
 * while a runner finishes its batch, so call them off event loops.
 */
public final class ProjectionWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionWorker.class);

    /** A projection this worker runs. */
    private static final class Deployed {
        final String name;
        final Map<String, String> config;
        final ProjectionPlugins.Plugin plugin;
        final String viewsLocation;
        final String container;
        volatile ProjectionRunner runner;

        Deployed(String name, Map<String, String> config, ProjectionPlugins.Plugin plugin, String viewsLocation,
                String container) {
            this.name = name;
            this.config = config;
            this.plugin = plugin;
            this.viewsLocation = viewsLocation;
            this.container = container;
        }
    }

    private final ProjectionPlugins plugins;
    private final ProjectionConfigFiles files;
    private final URI defaultNode;
    private final NodeCredentials defaultCredentials;
    private final WorkerMetrics metrics;
    /** Read without the lock by status and metrics; changed under it. */
    private final Map<String, Deployed> deployed = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Map<String, ViewStore> viewStores = new HashMap<>();
    private final java.time.Duration stopTimeout;
    private boolean closed;

    /**
     * @param plugins the plugins found
     * @param files where configurations persist
     * @param defaultNode the node ({@code --node}) for projections that name neither a storage
     *     location nor a node; may be null
     * @param metrics where per-projection meters are registered
     */
    ProjectionWorker(ProjectionPlugins plugins, ProjectionConfigFiles files, URI defaultNode, WorkerMetrics metrics) {
        this(plugins, files, defaultNode, metrics, ProjectionRunner.STOP_TIMEOUT);
    }

    /** As above; {@code stopTimeout} is how long a projection being stopped may take before it is given up. */
    ProjectionWorker(ProjectionPlugins plugins, ProjectionConfigFiles files, URI defaultNode, WorkerMetrics metrics,
            java.time.Duration stopTimeout) {
        this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout");
        this.plugins = Objects.requireNonNull(plugins, "plugins");
        this.files = Objects.requireNonNull(files, "files");
        this.defaultNode = defaultNode;
        this.defaultCredentials = NodeCredentials.NONE;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    public ProjectionPlugins plugins() {
        return plugins;
    }

    /** Starts every saved projection, each from its checkpoint; one that cannot start is logged and skipped. */
    synchronized void resumeSaved() {
        for (ProjectionConfigFiles.Saved saved : files.load()) {
            try {
                deploy(saved.name(), saved.config(), saved.paused());
            } catch (RuntimeException e) {
                LOG.error("saved projection '{}' cannot start: {}", saved.name(), e.getMessage());
            }
        }
    }

    /** Names of every projection, sorted. */
    public List<String> names() {
        return List.copyOf(deployed.keySet());
    }

    /**
     * Creates and starts a projection.
     *
     * @throws WorkerException 409 if the name is taken, 400 if the configuration is invalid
     */
    public synchronized Map<String, String> create(String name, Map<String, String> config) {
        checkOpen();
        checkName(name);
        if (deployed.containsKey(name)) {
            throw new WorkerException(409, "projection_exists", "a projection named '" + name + "' already exists");
        }
        Deployed d = deploy(name, config, false);
        return d.config;
    }

    /**
     * Creates the projection, or replaces its configuration and restarts it from its checkpoint.
     * Returns true if it was created.
     */
    public synchronized boolean putConfig(String name, Map<String, String> config) {
        checkOpen();
        checkName(name);
        Deployed old = deployed.get(name);
        if (old == null) {
            deploy(name, config, false);
            return true;
        }
        Map<String, String> complete = complete(name, config);
        ConfigValidation validation = validate(complete);
        if (validation.errorCount() > 0) {
            throw new WorkerException(400, "invalid_config", "projection '" + name + "': " + validation.summary());
        }
        boolean paused = old.runner.isPaused();
        undeploy(old);
        Deployed now;
        try {
            now = deploy(name, config, paused);
        } catch (RuntimeException refused) {
            deploy(name, old.config, paused); // a refused change leaves the projection as it was
            throw refused;
        }
        if (!now.viewsLocation.equals(old.viewsLocation) || !now.container.equals(old.container)) {
            releaseViews(old.viewsLocation, old.container); // no projection writes the old container any more
        }
        return false;
    }

    public Map<String, String> config(String name) {
        return shown(get(name).config);
    }

    /** The plugin class of a projection. */
    public String pluginClass(String name) {
        return get(name).plugin.className();
    }

    public String container(String name) {
        return get(name).container;
    }

    public ProjectionStatus status(String name) {
        return get(name).runner.status();
    }

    /** Status of a projection, or null if there is none (for metrics). */
    ProjectionStatus statusOrNull(String name) {
        Deployed d = deployed.get(name);
        return d == null ? null : d.runner.status();
    }

    public synchronized void pause(String name) {
        Deployed d = get(name);
        d.runner.pause();
        files.save(new ProjectionConfigFiles.Saved(name, d.config, true));
    }

    public synchronized void resume(String name) {
        Deployed d = get(name);
        d.runner.resume();
        files.save(new ProjectionConfigFiles.Saved(name, d.config, false));
    }

    /** Stops the projection and starts a fresh instance from its checkpoint (a FAILED one runs again). */
    public synchronized void restart(String name) {
        Deployed d = get(name);
        boolean paused = d.runner.isPaused();
        undeploy(d);
        deploy(name, d.config, paused);
    }

    /** Resets the projection's checkpoint and views and replays the store from the start. */
    public synchronized void rebuild(String name) {
        Deployed d = get(name);
        if (d.runner.status().state() == io.dataplatform.projections.ProjectionState.FAILED) {
            undeploy(d);
            deploy(name, d.config, d.runner.isPaused(), true); // rebuilt before it reads its old checkpoint
        } else {
            d.runner.rebuild();
        }
    }

    /** Stops the projection, forgets its configuration and deletes its views and checkpoint. */
    public synchronized void delete(String name) {
        Deployed d = get(name);
        undeploy(d);
        files.remove(name);
        dropViews(d);
        releaseViews(d.viewsLocation, d.container);
        LOG.info("projection '{}' deleted with the views of container '{}'", name, d.container);
    }

    /** Validates a configuration for the plugin it names in {@code projection.class}. */
    public ConfigValidation validate(Map<String, String> config) {
        List<String> errors = new ArrayList<>();
        List<ConfigKey> keys = new ArrayList<>(FrameworkKeys.ALL);
        ProjectionPlugins.Plugin plugin = null;
        String className = config.get(FrameworkKeys.PROJECTION_CLASS);
        if (className != null) {
            try {
                plugin = plugins.find(className);
                keys.addAll(pluginKeys(plugin));
            } catch (IllegalArgumentException | IllegalStateException e) {
                errors.add(e.getMessage());
            }
        }
        List<ConfigValidation.KeyCheck> checks = new ArrayList<>();
        for (ConfigKey key : keys) {
            String value = config.get(key.name());
            String problem;
            try {
                problem = key.problem(value);
            } catch (RuntimeException e) {
                problem = "cannot check '" + value + "': " + e;
            }
            checks.add(new ConfigValidation.KeyCheck(key, value, problem == null ? List.of() : List.of(problem)));
        }
        String location = config.getOrDefault(FrameworkKeys.STORE_LOCATION, "");
        String node = config.getOrDefault(FrameworkKeys.NODE, "");
        if (location.isBlank() && node.isBlank() && defaultNode == null) {
            errors.add("give '" + FrameworkKeys.STORE_LOCATION + "' (read the store's files) or '" + FrameworkKeys.NODE
                    + "' (read over HTTP); this worker has no --node");
        }
        return new ConfigValidation(plugin == null ? null : plugin.className(), checks, errors);
    }

    /**
     * The keys a plugin declares, asked of a fresh instance under the plugin's class loader.
     *
     * @throws IllegalStateException naming the plugin and the error if it cannot be created or
     *     {@code configKeys()} fails (throws, or answers null or a null key)
     */
    static List<ConfigKey> pluginKeys(ProjectionPlugins.Plugin plugin) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(plugin.loader());
        try {
            Projection instance = plugin.newInstance();
            try {
                List<ConfigKey> keys = instance.configKeys();
                if (keys == null) {
                    throw new IllegalStateException("configKeys() returned null");
                }
                return List.copyOf(keys);
            } catch (RuntimeException | LinkageError e) {
                throw new IllegalStateException("projection plugin " + plugin.className() + " from " + plugin.location()
                        + " cannot declare its configuration keys: configKeys() failed with " + e, e);
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Deployed> all = new ArrayList<>(deployed.values());
        all.forEach(d -> d.runner.pause()); // stop every runner at once, then wait for each
        for (Deployed d : all) {
            if (!d.runner.close(stopTimeout)) {
                LOG.warn("projection '{}' did not stop within {} ms: it is given up", d.name, stopTimeout.toMillis());
            }
            metrics.unregister(d.name);
        }
        deployed.clear();
        for (Map.Entry<String, ViewStore> store : viewStores.entrySet()) {
            try {
                store.getValue().close();
            } catch (RuntimeException e) {
                LOG.error("closing the view store at {} failed: {}", store.getKey(), e.getMessage());
            }
        }
        viewStores.clear();
        plugins.close();
    }

    // ---- internals ----

    private Deployed get(String name) {
        Deployed d = deployed.get(name);
        if (d == null) {
            throw WorkerException.notFound(name);
        }
        return d;
    }

    private void checkOpen() {
        if (closed) {
            throw new WorkerException(503, "worker_stopping", "the worker is shutting down");
        }
    }

    static void checkName(String name) {
        String broken = StorageName.brokenRule(name, "a projection name");
        if (broken != null) {
            throw new WorkerException(400, "invalid_name", broken);
        }
    }

    /** The configuration with the container defaulted to the projection's name. */
    private static Map<String, String> complete(String name, Map<String, String> config) {
        Map<String, String> complete = new LinkedHashMap<>(config);
        if (complete.getOrDefault(FrameworkKeys.VIEWS_CONTAINER, "").isBlank()) {
            complete.put(FrameworkKeys.VIEWS_CONTAINER, name);
        }
        return complete;
    }

    private Deployed deploy(String name, Map<String, String> given, boolean paused) {
        return deploy(name, given, paused, false);
    }

    private Deployed deploy(String name, Map<String, String> given, boolean paused, boolean rebuildFirst) {
        Map<String, String> config = complete(name, given);
        ConfigValidation validation = validate(config);
        if (validation.errorCount() > 0) {
            throw new WorkerException(400, "invalid_config", "projection '" + name + "': " + validation.summary());
        }
        ProjectionPlugins.Plugin plugin = plugins.find(config.get(FrameworkKeys.PROJECTION_CLASS));
        String viewsLocation = config.get(FrameworkKeys.VIEWS_LOCATION);
        String container = config.get(FrameworkKeys.VIEWS_CONTAINER);
        for (Deployed other : deployed.values()) {
            if (!other.name.equals(name) && other.viewsLocation.equals(viewsLocation) && other.container.equals(container)) {
                throw new WorkerException(409, "container_in_use", "view container '" + container + "' at "
                        + viewsLocation + " belongs to projection '" + other.name + "'");
            }
        }
        List<ConfigKey> keys = new ArrayList<>(FrameworkKeys.ALL);
        try {
            keys.addAll(pluginKeys(plugin));
        } catch (IllegalStateException e) {
            throw new WorkerException(400, "plugin_unusable", "projection '" + name + "': " + e.getMessage());
        }
        ProjectionConfig projectionConfig = new ProjectionConfig(name, config, keys);
        StoreId store = StoreId.of(config.get(FrameworkKeys.STORE));
        RunnerSettings settings;
        StoreReaders readers;
        try { // before the container is opened: a refused configuration leaves nothing held
            settings = RunnerSettings.of(projectionConfig);
            readers = readers(projectionConfig, store);
        } catch (IllegalArgumentException e) {
            throw new WorkerException(400, "invalid_config", "projection '" + name + "': " + e.getMessage());
        }
        ViewStore views = viewStore(viewsLocation);
        ViewContainer opened;
        try {
            opened = views.container(container); // takes the writer lock now: a clash is answered at once
        } catch (RuntimeException e) {
            throw new WorkerException(409, "container_unavailable", "view container '" + container + "' at "
                    + viewsLocation + " cannot be opened for writing: " + e.getMessage());
        }
        Objects.requireNonNull(opened);
        Projection projection = instantiate(plugin);
        ProjectionRunner runner = new ProjectionRunner(name, projection, projectionConfig, settings, store, readers,
                views, container, plugin.loader(), metrics);
        Deployed d = new Deployed(name, Map.copyOf(config), plugin, viewsLocation, container);
        d.runner = runner;
        files.save(new ProjectionConfigFiles.Saved(name, d.config, paused));
        deployed.put(name, d);
        metrics.register(name, this);
        runner.start(paused, rebuildFirst);
        LOG.info("projection '{}' ({}) {} on store '{}'", name, plugin.className(), paused ? "deployed paused" : "started",
                store);
        return d;
    }

    private static Projection instantiate(ProjectionPlugins.Plugin plugin) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(plugin.loader());
        try {
            return plugin.newInstance();
        } catch (IllegalStateException e) {
            throw new WorkerException(400, "plugin_unusable", e.getMessage());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private void undeploy(Deployed d) {
        if (!d.runner.close(stopTimeout)) {
            LOG.warn("projection '{}' did not stop within {} ms: it is given up; the runner that replaces it takes its"
                    + " container over, after which nothing of the old one is committed", d.name, stopTimeout.toMillis());
        }
        deployed.remove(d.name);
        metrics.unregister(d.name);
    }

    /**
     * Closes this worker's handles of a container no projection writes any more (its writer lock and
     * open files go), and the whole view store when no projection uses its location.
     */
    private void releaseViews(String location, String container) {
        ViewStore store = viewStores.get(location);
        if (store == null) {
            return;
        }
        boolean locationUsed = false;
        for (Deployed other : deployed.values()) {
            if (other.viewsLocation.equals(location)) {
                locationUsed = true;
                if (other.container.equals(container)) {
                    return;
                }
            }
        }
        try {
            if (locationUsed) {
                store.releaseContainer(container);
            } else {
                viewStores.remove(location);
                store.close();
            }
            LOG.info("view container '{}' at {} released", container, location);
        } catch (RuntimeException e) {
            LOG.warn("releasing view container '{}' at {} failed: {}", container, location, e.getMessage());
        }
    }

    private StoreReaders readers(ProjectionConfig config, StoreId store) {
        String location = config.get(FrameworkKeys.STORE_LOCATION);
        if (location != null && !location.isBlank()) {
            return StoreReaders.direct(location, store);
        }
        String node = config.get(FrameworkKeys.NODE);
        URI endpoint = node == null || node.isBlank() ? defaultNode : URI.create(node.trim());
        String token = config.get(FrameworkKeys.NODE_TOKEN);
        NodeCredentials credentials = token == null || token.isBlank() ? defaultCredentials : NodeCredentials.token(token);
        return StoreReaders.remote(endpoint, store, credentials);
    }

    private ViewStore viewStore(String location) {
        return viewStores.computeIfAbsent(location, l -> {
            try {
                // a mapper of this worker's own, with its own type cache: it caches the plugins' view classes,
                // which must not outlive the worker (Jackson's default type cache is JVM-wide)
                return ViewStores.open(l, ViewStoreOptions.defaults().withMapper(
                        new ObjectMapper().setTypeFactory(TypeFactory.createDefaultInstance())));
            } catch (RuntimeException e) {
                throw new WorkerException(400, "invalid_config", "the view store at '" + l + "' cannot be opened: "
                        + e.getMessage());
            }
        });
    }

    /** Deletes a deleted projection's container: every view and the checkpoint (whole or gone after a crash). */
    private void dropViews(Deployed d) {
        viewStore(d.viewsLocation).dropContainer(d.container);
    }

    /** The configuration fit for an answer: passwords hidden. */
    private static Map<String, String> shown(Map<String, String> config) {
        Map<String, String> shown = new TreeMap<>(config);
        String token = shown.get(FrameworkKeys.NODE_TOKEN);
        if (token != null && !token.isEmpty()) {
            shown.put(FrameworkKeys.NODE_TOKEN, "[hidden]");
        }
        return shown;
    }
}
