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
