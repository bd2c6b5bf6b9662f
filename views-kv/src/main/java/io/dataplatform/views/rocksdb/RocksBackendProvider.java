package io.dataplatform.views.rocksdb;

import io.dataplatform.rules.StorageLocation;
import io.dataplatform.views.spi.ContainerDirectories;
import io.dataplatform.views.spi.ViewBackend;
import io.dataplatform.views.spi.ViewBackendProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code rocksdb} view backend: location {@code rocksdb:DIR}, optionally followed by tuning
 * parameters ({@code rocksdb:DIR?blockCacheMiB=256&compression=zstd}, see {@link RocksTuning});
 * one RocksDB database per container under {@code DIR}. Needs {@code org.rocksdb:rocksdbjni} on the
 * class path: views-kv declares it optional, so an application choosing this backend declares it
 * itself. Creates the directory if needed.
 */
public final class RocksBackendProvider implements ViewBackendProvider {

    static final String SCHEME = StorageLocation.ROCKSDB_PREFIX;

    @Override
    public String name() {
        return "rocksdb";
    }

    @Override
    public boolean accepts(String location) {
        return StorageLocation.is(location, StorageLocation.Kind.ROCKSDB);
    }

    /** {@code rocksdb:DIR[?parameters]}; with the backend chosen by name, a plain {@code DIR[?parameters]} too. */
    @Override
    public ViewBackend open(String location) throws IOException {
        try {
            Class.forName("org.rocksdb.RocksDB", false, RocksBackendProvider.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IOException("the rocksdb view backend needs org.rocksdb:rocksdbjni on the class path"
                    + " (an optional dependency of views-kv: declare it in the application)", e);
        }
        String path = location.startsWith(SCHEME) ? location.substring(SCHEME.length()) : location;
        int question = path.indexOf('?');
        RocksTuning tuning = RocksTuning.parse(question < 0 ? "" : path.substring(question + 1), location);
        if (question >= 0) {
            path = path.substring(0, question);
        }
        if (path.isBlank()) {
            throw new IOException("the location '" + location + "' names no directory (rocksdb:DIR)");
        }
        Path root = Path.of(path);
        Files.createDirectories(root);
        ContainerDirectories.deleteLeftovers(root);
        return new RocksBackend(root, tuning);
    }
}
