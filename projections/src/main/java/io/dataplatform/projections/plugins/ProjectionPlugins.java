package io.dataplatform.projections.plugins;

import io.dataplatform.projections.Projection;
import io.dataplatform.projections.ProjectionName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * The projection plugins a worker knows, found the way Kafka Connect finds connectors: with
 * {@link ServiceLoader} on the worker's class path, and in a plugin directory where each jar, and
 * each subdirectory (its jars and class files together), is one plugin location with a class loader
 * of its own ({@link PluginClassLoader}: child-first but for the framework's shared packages), so
 * that plugins bringing different versions of one library do not clash.
 *
 * <p>A plugin names itself in {@code META-INF/services/io.dataplatform.projections.Projection}. A
 * location that cannot be read, or a listed class that cannot be loaded or built, is reported in
 * {@link #failures()} and the log and skipped; the others load. Immutable once scanned, thread-safe.
 */
public final class ProjectionPlugins {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionPlugins.class);
    /** The location of plugins found on the worker's class path. */
    public static final String CLASSPATH = "classpath";

    /**
     * One projection plugin.
     *
     * @param className its class name
     * @param shortName its {@link ProjectionName}, or null
     * @param version the {@code Implementation-Version} of its jar, or null
     * @param location {@value #CLASSPATH}, or the jar or directory it was found in
     * @param type the class
     */
    public record Plugin(String className, String shortName, String version, String location,
                         Class<? extends Projection> type) {

        /** A new, unstarted instance. */
        public Projection newInstance() {
            try {
                return type.getConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
                throw new IllegalStateException("cannot create projection " + className + " from " + location + ": " + cause, cause);
            }
        }

        /** The class loader to make current while the plugin runs. */
        public ClassLoader loader() {
            return type.getClassLoader();
        }

        /** Whether {@code name} (a short name, class name or simple class name) names this plugin. */
        boolean isNamed(String name) {
            return name.equals(className) || name.equals(shortName) || name.equals(type.getSimpleName());
        }
    }

    /** A plugin location, or one class in it, that could not be loaded: where, and why. */
    public record Failure(String location, String error) {
    }

    private final List<Plugin> plugins;
    private final List<Failure> failures;
    private final List<PluginClassLoader> loaders;

    private ProjectionPlugins(List<Plugin> plugins, List<Failure> failures, List<PluginClassLoader> loaders) {
        this.plugins = List.copyOf(plugins);
        this.failures = List.copyOf(failures);
        this.loaders = loaders;
    }

    /**
     * Finds the plugins on the class path of {@code parent} and, if {@code directory} is not null,
     * in that directory. Never throws for a bad plugin: see {@link #failures()}.
     */
    public static ProjectionPlugins scan(ClassLoader parent, Path directory) {
        Map<String, Plugin> found = new LinkedHashMap<>();
        List<Failure> failures = new ArrayList<>();
        List<PluginClassLoader> loaders = new ArrayList<>();
        load(ServiceLoader.load(Projection.class, parent), CLASSPATH, null, found, failures);
        if (directory != null) {
            for (Path entry : entries(directory, failures)) {
                String location = entry.toString();
                try {
                    URL[] urls = urls(entry);
                    if (urls.length == 0) {
                        continue; // neither a jar nor a directory with jars or classes
                    }
                    PluginClassLoader loader = new PluginClassLoader(location, urls, parent);
                    loaders.add(loader);
                    int before = found.size();
                    load(ServiceLoader.load(Projection.class, loader), location, loader, found, failures);
                    if (found.size() == before && failures.stream().noneMatch(f -> f.location().equals(location))) {
                        failures.add(failure(location, "no projection listed in META-INF/services/"
                                + Projection.class.getName()));
                    }
                } catch (IOException | RuntimeException e) {
                    failures.add(failure(location, "cannot read the plugin: " + e));
                }
            }
        }
        for (Plugin plugin : found.values()) {
            LOG.info("projection plugin {}{} from {}", plugin.className(),
                    plugin.shortName() == null ? "" : " (" + plugin.shortName() + ")", plugin.location());
        }
        return new ProjectionPlugins(new ArrayList<>(found.values()), failures, loaders);
    }

    private static void load(ServiceLoader<Projection> services, String location, ClassLoader own,
            Map<String, Plugin> found, List<Failure> failures) {
        Iterator<ServiceLoader.Provider<Projection>> providers = services.stream().iterator();
        while (true) {
            ServiceLoader.Provider<Projection> provider;
            try {
                if (!providers.hasNext()) {
                    return;
                }
                provider = providers.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                failures.add(failure(location, "a listed projection cannot be loaded: " + rootMessage(e)));
                if (e instanceof LinkageError) {
                    return;
                }
                continue;
            }
            try {
                Class<? extends Projection> type = provider.type();
                if (own != null && type.getClassLoader() != own) {
                    continue; // a class path plugin, seen through the plugin loader's parent
                }
                type.getConstructor(); // fails early when there is no public no-argument constructor
                ProjectionName name = type.getAnnotation(ProjectionName.class);
                String version = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
                Plugin plugin = new Plugin(type.getName(), name == null ? null : name.value(), version, location, type);
                Plugin clash = found.values().stream()
                        .filter(p -> p.className().equals(plugin.className())
                                || plugin.shortName() != null && plugin.shortName().equals(p.shortName()))
                        .findFirst().orElse(null);
                if (clash != null) {
                    failures.add(failure(location, "projection " + plugin.className() + " is already provided by "
                            + clash.location() + " under the same name; this copy is ignored"));
                    continue;
                }
                found.put(plugin.className(), plugin);
            } catch (ServiceConfigurationError | ReflectiveOperationException | LinkageError e) {
                failures.add(failure(location, "a listed projection cannot be used: " + rootMessage(e)));
            }
        }
    }

    private static Failure failure(String location, String error) {
        LOG.warn("projection plugin at {} skipped: {}", location, error);
        return new Failure(location, error);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e + " (" + root + ")";
    }

    private static List<Path> entries(Path directory, List<Failure> failures) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            failures.add(failure(directory.toString(), "cannot list the plugin directory: " + e));
            return List.of();
        }
    }

    /** A jar alone; or a directory's jars (at any depth) and the directory itself when it holds class files. */
    private static URL[] urls(Path entry) throws IOException {
        List<URL> urls = new ArrayList<>();
        if (Files.isRegularFile(entry)) {
            if (entry.getFileName().toString().endsWith(".jar")) {
                urls.add(url(entry));
            }
        } else if (Files.isDirectory(entry)) {
            boolean classes;
            try (Stream<Path> files = Files.walk(entry)) {
                List<Path> all = files.filter(Files::isRegularFile).sorted().toList();
                for (Path file : all) {
                    if (file.getFileName().toString().endsWith(".jar")) {
                        urls.add(url(file));
                    }
                }
                classes = all.stream().anyMatch(f -> f.getFileName().toString().endsWith(".class")
                        || f.toString().contains("META-INF"));
            }
            if (classes) {
                urls.add(0, url(entry));
            }
        }
        return urls.toArray(URL[]::new);
    }

    private static URL url(Path path) throws MalformedURLException {
        return path.toAbsolutePath().toUri().toURL();
    }

    public List<Plugin> plugins() {
        return plugins;
    }

    public List<Failure> failures() {
        return failures;
    }

    /**
     * The plugin {@code name} names: a short name, a class name, or a simple class name.
     *
     * @throws IllegalArgumentException naming the known plugins if none (or several) match
     */
    public Plugin find(String name) {
        List<Plugin> matches = plugins.stream().filter(p -> p.isNamed(name)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        List<String> known = plugins.stream().map(p -> p.shortName() != null ? p.shortName() : p.className()).toList();
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("no projection plugin named '" + name + "' (known: " + String.join(", ", known) + ")");
        }
        throw new IllegalArgumentException("'" + name + "' names several projection plugins ("
                + String.join(", ", matches.stream().map(Plugin::className).toList()) + "): use the class name");
    }

    /** Closes the plugin class loaders (their jar files). */
    public void close() {
        for (PluginClassLoader loader : loaders) {
            try {
                loader.close();
            } catch (IOException e) {
                LOG.debug("closing {}: {}", loader, e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "ProjectionPlugins[" + plugins.size() + " plugins, " + failures.size() + " failures]";
    }

}
