package io.dataplatform.views.memory;

import io.dataplatform.views.spi.BackendContainer;
import io.dataplatform.views.spi.ViewBackend;
import java.io.IOException;

/** View containers in a {@link MemorySpace}. Thread-safe. */
final class MemoryBackend implements ViewBackend {

    private final MemorySpace space;

    MemoryBackend(MemorySpace space) {
        this.space = space;
    }

    @Override
    public BackendContainer openContainer(String name, boolean writer) throws IOException {
        MemorySpace.Container state = space.container(name);
        if (writer && !state.writerHeld.compareAndSet(false, true)) {
            throw new IOException("container '" + name + "' is already written by another store");
        }
        return new MemoryContainer(state, writer);
    }

    @Override
    public boolean isTransient(IOException failure) {
        return false;
    }

    @Override
    public void close() {
    }
}
