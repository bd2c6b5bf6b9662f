package io.dataplatform.views.file;

import io.dataplatform.views.spi.ContainerDirectories;
import io.dataplatform.rules.StorageLocation;
import io.dataplatform.views.spi.ViewBackend;
import io.dataplatform.views.spi.ViewBackendProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code file} view backend: the location is a directory path; one document per key under
 * the container's directory, readable with {@code cat}. Creates the directory if needed.
 */
public final class FileBackendProvider implements ViewBackendProvider {

    @Override
    public String name() {
        return "file";
    }

    /** A directory path, by the {@link StorageLocation} rule shared with event stores. */
    @Override
    public boolean accepts(String location) {
        return StorageLocation.is(location, StorageLocation.Kind.FILE);
    }

    @Override
    public ViewBackend open(String location) throws IOException {
        Path root = Path.of(location);
        Files.createDirectories(root);
        ContainerDirectories.deleteLeftovers(root);
        return new FileBackend(root);
    }
}
