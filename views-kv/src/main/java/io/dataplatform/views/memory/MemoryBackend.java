package io.dataplatform.views.memory;

import io.dataplatform.views.spi.BackendContainer;
import io.dataplatform.views.spi.ViewBackend;
import java.io.IOException;
import java.util.List;

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
        if (writer) {
            state.exists = true;
        }
        return new MemoryContainer(state, writer);
    }

    @Override
    public List<String> containers() {
        return space.names();
    }

    @Override
    public void dropContainer(String name) throws IOException {
        MemorySpace.Container state = space.container(name);
        if (!state.writerHeld.compareAndSet(false, true)) {
            throw new IOException("container '" + name + "' is already written by another store");
        }
        try {
            state.clear();
        } finally {
            state.writerHeld.set(false);
        }
    }

    @Override
    public boolean isTransient(IOException failure) {
        return false;
    }

    @Override
    public void close() {
    }
}
