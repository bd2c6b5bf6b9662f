package io.dataplatform.store.file;

import io.dataplatform.store.EngineLocations;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.StoreEngine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Fresh directories for the engine contracts, removed after each test. */
final class FileLocations implements EngineLocations {

    @Override
    public Location create() throws IOException {
        Path root = Files.createTempDirectory("dp-engine-contract");
        return new Location() {
            @Override
            public StoreEngine open(EngineOptions options) {
                return new FileStorageEngine(root, options);
            }

            @Override
            public void close() throws IOException {
                try (Stream<Path> walk = Files.walk(root)) {
                    for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }
        };
    }
}
