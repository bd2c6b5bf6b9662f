package io.dataplatform.store.file;

import io.dataplatform.rules.StorageLocation;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.StagingArea;
import io.dataplatform.store.StorageProvider;
import io.dataplatform.store.StoreEngine;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.StoreReader;

import java.nio.file.Path;

/** The {@code file} backend: a storage location that is a directory path (by the {@link StorageLocation} rule). */
public final class FileStorageProvider implements StorageProvider {

    @Override
    public String name() {
        return "file";
    }

    @Override
    public boolean accepts(String location) {
        return StorageLocation.is(location, StorageLocation.Kind.FILE);
    }

    @Override
    public StoreEngine openEngine(String location, EngineOptions options) {
        return new FileStorageEngine(Path.of(location), options);
    }

    @Override
    public StagingArea openStagingArea(String location) {
        return new FileStagingArea(Path.of(location));
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
