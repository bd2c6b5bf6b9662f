package io.dataplatform.views;

import io.dataplatform.views.memory.MemoryBackendProvider;
import io.dataplatform.views.spi.ViewBackend;
import io.dataplatform.views.spi.ViewBackendProvider;

/** A view backend plugin found only through its own class loader ({@link PluginLoader}): {@code plugin:NAME}, kept in memory. */
public final class PluginBackendProvider implements ViewBackendProvider {

    @Override
    public String name() {
        return "plugin";
    }

    @Override
    public boolean accepts(String location) {
        return location.startsWith("plugin:");
    }

    @Override
    public ViewBackend open(String location) {
        return new MemoryBackendProvider().open("memory:" + location.substring("plugin:".length()));
    }
}
