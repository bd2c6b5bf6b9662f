package io.dataplatform.views;

import io.dataplatform.rules.StorageLocation;
import io.dataplatform.views.spi.ViewBackend;
import io.dataplatform.views.spi.ViewBackendProvider;
import java.io.IOException;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Opens view stores. The location is one string, read by the {@link StorageLocation} rule shared
 * with event stores: a directory path ({@code ./data/views}) for the {@code file} backend,
 * {@code memory:} or {@code memory:name} (shared within the JVM) for the {@code memory} backend,
 * {@code rocksdb:DIR} for the {@code rocksdb} backend (which needs
 * {@code org.rocksdb:rocksdbjni} on the class path), and an Azure connection string optionally followed by {@code |container}.
 * Backends are plugins found with {@link java.util.ServiceLoader}.
 */
public final class ViewStores {

    private ViewStores() {
    }

    /** Opens the store at {@code location} with {@link ViewStoreOptions#defaults()}. */
    public static ViewStore open(String location) {
        return open(location, ViewStoreOptions.defaults());
    }

    /**
     * Opens the store at {@code location}.
     *
     * @throws ViewStoreException if no backend takes the location or it cannot be opened
     */
    public static ViewStore open(String location, ViewStoreOptions options) {
        return open(location, options, ViewStores.class.getClassLoader());
    }

    /**
     * Opens the store at {@code location} through a backend plugin that {@code plugins} finds
     * (a plugin living in a class loader of its own: pass that loader).
     *
     * @throws ViewStoreException if no backend takes the location or it cannot be opened
     */
    public static ViewStore open(String location, ViewStoreOptions options, ClassLoader plugins) {
        return open(location, options, plugins, CommitHook.NONE, System::nanoTime);
    }

    static OpenViewStore open(String location, ViewStoreOptions options, CommitHook hook, LongSupplier clock) {
        return open(location, options, ViewStores.class.getClassLoader(), hook, clock);
    }

    static OpenViewStore open(String location, ViewStoreOptions options, ClassLoader plugins, CommitHook hook,
            LongSupplier clock) {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(plugins, "plugins");
        ViewBackendProvider provider = BackendPlugins.choose(location, options.backend(), plugins);
        ViewBackend backend;
        try {
            backend = provider.open(location);
        } catch (IOException e) {
            throw new ViewStoreException(null, null,
                    "cannot open the " + provider.name() + " view backend at '" + ViewStores.redacted(location) + "': " + e, e);
        }
        return open(location, backend, options, hook, clock);
    }

    /** The location fit for messages and logs: account keys and signatures masked. */
    static String redacted(String location) {
        return StorageLocation.redacted(location);
    }

    /** Over a given backend (test seam: wrapped or failing backends). */
    static OpenViewStore open(String location, ViewBackend backend, ViewStoreOptions options, CommitHook hook,
            LongSupplier clock) {
        return open(location, backend, options, hook, clock, WriteBehind.of(options));
    }

    /** Over a given backend, writing views behind commits as {@code writeBehind} says (test seam). */
    static OpenViewStore open(String location, ViewBackend backend, ViewStoreOptions options, CommitHook hook,
            LongSupplier clock, WriteBehind writeBehind) {
        // A reader in another process sees a commit within the bound: one flush interval, then revalidation.
        DocumentCache cache = new DocumentCache(options.cacheMaxBytes(),
                writeBehind.cacheFreshness(options.revalidateAfter()).toNanos(), clock);
        return new OpenViewStore(location, backend, options, cache, hook, writeBehind);
    }
}
