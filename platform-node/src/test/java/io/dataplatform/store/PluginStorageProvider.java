package io.dataplatform.store;

import io.dataplatform.store.file.FileStorageProvider;

/**
 * A storage backend plugin found only through its own class loader ({@link StorageTest}): the
 * file backend under the name {@code plugin-file}, for locations {@code plugin-file:DIR}.
 */
public final class PluginStorageProvider implements StorageProvider {
    private static final String PREFIX = "plugin-file:";
    private final FileStorageProvider files = new FileStorageProvider();

    @Override
    public String name() {
        return "plugin-file";
    }

    @Override
    public boolean accepts(String location) {
        return location.startsWith(PREFIX);
    }

    @Override
    public StoreEngine openEngine(String location, EngineOptions options) {
        return files.openEngine(directory(location), options);
    }

    @Override
    public StoreReader openReader(String location, StoreId store) {
        return files.openReader(directory(location), store);
    }

    private static String directory(String location) {
        return location.startsWith(PREFIX) ? location.substring(PREFIX.length()) : location;
    }
}
