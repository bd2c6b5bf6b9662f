package io.dataplatform.store;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Opens engines and readers from a storage location string, through the backend that accepts it. */
public final class Storage {

    private Storage() {
    }

    public static StoreEngine openEngine(String location, EngineOptions options) {
        return provider(location).openEngine(location, options);
    }

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

    /** The backend for a location: the first provider, in class path order, that accepts it. */
    public static StorageProvider provider(String location) {
        List<String> names = new ArrayList<>();
        for (StorageProvider provider : ServiceLoader.load(StorageProvider.class, Storage.class.getClassLoader())) {
            if (provider.accepts(location)) {
                return provider;
            }
            names.add(provider.name());
        }
        throw new InvalidInputException(null, "no storage backend accepts the location '" + location
                + "' (backends: " + String.join(", ", names) + ")");
    }
}
