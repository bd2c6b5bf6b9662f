package io.dataplatform.views.memory;

import io.dataplatform.rules.StorageLocation;
import io.dataplatform.views.spi.ViewBackend;
import io.dataplatform.views.spi.ViewBackendProvider;

/**
 * The {@code memory} view backend, for tests and small apps. {@code memory:} opens a new empty
 * space; {@code memory:name} opens the space of that name, shared by every store opened with it
 * in this JVM (it outlives the stores, as files would).
 */
public final class MemoryBackendProvider implements ViewBackendProvider {

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public boolean accepts(String location) {
        return StorageLocation.is(location, StorageLocation.Kind.MEMORY);
    }

    @Override
    public ViewBackend open(String location) {
        String name = StorageLocation.parse(location).address();
        return new MemoryBackend(name.isEmpty() ? new MemorySpace() : MemorySpace.named(name));
    }
}
