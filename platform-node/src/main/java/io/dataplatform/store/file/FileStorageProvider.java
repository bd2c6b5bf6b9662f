package io.dataplatform.store.file;

import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.StorageProvider;
import io.dataplatform.store.StoreEngine;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.StoreReader;

import java.nio.file.Path;

/** The {@code file} backend: a storage location that is a directory path. */
public final class FileStorageProvider implements StorageProvider {

    @Override
    public String name() {
        return "file";
    }

    @Override
    public boolean accepts(String location) {
        // connection strings (Azure) hold '=' and ';'; a directory path does not need them
        return location != null && !location.isBlank() && !(location.contains("=") && location.contains(";"))
                && !location.startsWith("UseDevelopmentStorage");
    }

    @Override
    public StoreEngine openEngine(String location, EngineOptions options) {
        return new FileStorageEngine(Path.of(location), options);
    }

    @Override
    public StoreReader openReader(String location, StoreId store) {
        return openReader(location, store, null);
    }

    @Override
    public StoreReader openReader(String location, StoreId store, String expectedIncarnation) {
        Path directory = Path.of(location).resolve(store.value());
        if (!StoreDirectory.holdsStore(directory)) {
            throw new StoreNotFoundException(store.value());
        }
        return FileStoreReader.following(store, directory, expectedIncarnation, CommitPointerWatcher.shared());
    }
}
