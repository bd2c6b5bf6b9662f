package io.dataplatform.views;

import io.dataplatform.views.spi.ViewBackendProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds the backend plugin for a location among the providers a class loader finds: by configured
 * name or class name, else by the location's form ({@link io.dataplatform.rules.StorageLocation}).
 */
final class BackendPlugins {

    private BackendPlugins() {
    }

    static ViewBackendProvider choose(String location, String backend, ClassLoader loader) {
        List<ViewBackendProvider> providers = new ArrayList<>();
        ServiceLoader.load(ViewBackendProvider.class, loader).forEach(providers::add);
        List<String> names = providers.stream().map(ViewBackendProvider::name).toList();
        for (ViewBackendProvider provider : providers) {
            if (backend == null ? provider.accepts(location)
                    : backend.equals(provider.name()) || backend.equals(provider.getClass().getName())) {
                return provider;
            }
        }
        throw new ViewStoreException(null, null, backend == null
                ? "no view backend accepts the location '" + ViewStores.redacted(location) + "' (backends found: " + names + ")"
                : "no view backend named '" + backend + "' (backends found: " + names + ")");
    }
}
