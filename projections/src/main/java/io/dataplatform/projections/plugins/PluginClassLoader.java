package io.dataplatform.projections.plugins;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one plugin location (a jar, or a directory of jars): child-first, so a plugin's
 * own copy of a library wins over any other copy, except for what plugins and the worker must share.
 *
 * <p>Order for a class: (1) the JDK ({@code java.*}, {@code javax.*} of the platform, {@code jdk.*}),
 * from the platform class loader; (2) the framework's API packages and what the API exposes
 * ({@link #isShared}): always the worker's copy, so that a plugin's {@code Projection} is the
 * worker's {@code Projection}; (3) the plugin's own jars; (4) the worker's class path. Resources
 * follow the same order (a plugin's resources first). Holds the plugin's jars open until closed;
 * thread-safe (parallel capable).
 */
final class PluginClassLoader extends URLClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    /**
     * Packages loaded from the worker whatever a plugin bundles: the framework's own packages
     * (projection SPI, engine, client, views, shared rules, metrics, node), Jackson (the SPI exposes
     * it: {@code BatchEvent.json}, views are Jackson-mapped objects, and plugins annotate their
     * classes for it) and SLF4J (plugins log through the worker's backend). Other packages under
     * {@code io.dataplatform} (the samples' projections, say) belong to the plugins that bring them.
     */
    private static final List<String> SHARED = List.of(
            "io.dataplatform.projections.", "io.dataplatform.store.", "io.dataplatform.client.",
            "io.dataplatform.views.", "io.dataplatform.rules.", "io.dataplatform.metrics.",
            "io.dataplatform.node.", "com.fasterxml.jackson.", "org.slf4j.");

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private final String location;

    PluginClassLoader(String location, URL[] urls, ClassLoader parent) {
        super("plugin:" + location, urls, parent);
        this.location = location;
    }

    /** The plugin location this loader reads (for messages). */
    String location() {
        return location;
    }

    static boolean isShared(String className) {
        for (String prefix : SHARED) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                loaded = platformClass(name);
            }
            if (loaded == null && isShared(name)) {
                try {
                    loaded = getParent().loadClass(name);
                } catch (ClassNotFoundException notInWorker) {
                    // a shared package the worker lacks (a newer API class, say): the plugin's own copy
                }
            }
            if (loaded == null) {
                try {
                    loaded = findClass(name);
                } catch (ClassNotFoundException notInPlugin) {
                    loaded = getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    private static Class<?> platformClass(String name) {
        try {
            return PLATFORM.loadClass(name);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    @Override
    public URL getResource(String name) {
        if (isShared(name.replace('/', '.'))) {
            return super.getResource(name);
        }
        URL own = findResource(name);
        return own != null ? own : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> all = new ArrayList<>(Collections.list(findResources(name)));
        Enumeration<URL> parents = getParent().getResources(name);
        while (parents.hasMoreElements()) {
            URL url = parents.nextElement();
            if (!all.contains(url)) {
                all.add(url);
            }
        }
        return Collections.enumeration(all);
    }

    @Override
    public String toString() {
        return "PluginClassLoader[" + location + "]";
    }
}
