package io.dataplatform.store;

import io.dataplatform.rules.StorageLocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Opens engines and readers from a storage location string, through a backend plugin
 * ({@link StorageProvider}) found with {@link ServiceLoader}: the one named, or else the one that
 * accepts the location's form ({@link StorageLocation}: a directory path is {@code file}). Every
 * lookup takes the class loader to search, so that a backend living in a plugin's own class
 * loader can be found; the short forms search the loader of this library. Stateless.
 */
public final class Storage {

    private Storage() {
    }

    /** Opens every store of {@code location} through the backend that accepts it. */
    public static StoreEngine openEngine(String location, EngineOptions options) {
        return provider(location).openEngine(location, options);
    }

    /** Opens one store of {@code location} read-only, through the backend that accepts it. */
    public static StoreReader openReader(String location, StoreId store) {
        return provider(location).openReader(location, store);
    }

    /**
     * A reader of a store that must still be the incarnation {@code expectedIncarnation} (null for
     * any): a position saved against a store that was since deleted and created again is refused.
     *
     * @throws StoreRecreatedException if the store has another incarnation
     */
    public static StoreReader openReader(String location, StoreId store, String expectedIncarnation) {
        return provider(location).openReader(location, store, expectedIncarnation);
    }

    /** The backend for a location among this library's plugins: {@link #provider(String, String, ClassLoader)}. */
    public static StorageProvider provider(String location) {
        return provider(location, null, Storage.class.getClassLoader());
    }

    /**
     * The backend for a location: the provider named {@code backend} (its {@link StorageProvider#name()},
     * such as {@code file}, or its class name), or when {@code backend} is null the first provider,
     * in {@code loader}'s order, that accepts {@code location}.
     *
     * @throws InvalidInputException naming the backends found, if none fits
     */
    public static StorageProvider provider(String location, String backend, ClassLoader loader) {
        Objects.requireNonNull(loader, "loader");
        List<String> names = new ArrayList<>();
        for (StorageProvider provider : ServiceLoader.load(StorageProvider.class, loader)) {
            boolean fits = backend == null ? provider.accepts(location)
                    : backend.equals(provider.name()) || backend.equals(provider.getClass().getName());
            if (fits) {
                return provider;
            }
            names.add(provider.name());
        }
        throw new InvalidInputException(null, backend == null
                ? "no storage backend accepts the location '" + StorageLocation.redacted(location) + "' (backends: "
                + String.join(", ", names) + ")"
                : "no storage backend named '" + backend + "' (backends: " + String.join(", ", names) + ")");
    }
}
