package io.dataplatform.store;

import io.dataplatform.store.azure.AzureStorageProvider;
import io.dataplatform.store.file.FileStorageProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Choosing a storage backend: by the location's form, by name, and among the plugins of a given class loader. */
class StorageTest {

    @TempDir
    Path dir;

    private final ClassLoader library = Storage.class.getClassLoader();

    @Test
    void aDirectoryPathIsTheFileBackend() {
        assertThat(Storage.provider(dir.toString())).isInstanceOf(FileStorageProvider.class);
        assertThat(Storage.provider(dir.resolve("run=1").toString())).isInstanceOf(FileStorageProvider.class);
    }

    @Test
    void otherBackendsLocationsAreNotTakenForDirectories() {
        for (String location : new String[] {"memory:x", "rocksdb:" + dir}) {
            assertThatThrownBy(() -> Storage.provider(location)).as(location)
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("no storage backend accepts the location")
                    .hasMessageContaining("(backends: file, azure)");
        }
    }

    @Test
    void anAzureConnectionStringIsTheAzureBackend() {
        for (String location : new String[] {"UseDevelopmentStorage=true", "UseDevelopmentStorage=true|dp-store",
                "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=c2VjcmV0|sales"}) {
            assertThat(Storage.provider(location)).as(location).isInstanceOf(AzureStorageProvider.class);
        }
    }

    @Test
    void aBackendCanBeChosenByName() {
        assertThat(Storage.provider(dir.toString(), "file", library)).isInstanceOf(FileStorageProvider.class);
        assertThat(Storage.provider(dir.toString(), FileStorageProvider.class.getName(), library))
                .isInstanceOf(FileStorageProvider.class);
        assertThat(Storage.provider(dir.toString(), "azure", library)).isInstanceOf(AzureStorageProvider.class);
        assertThatThrownBy(() -> Storage.provider(dir.toString(), "tape", library))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no storage backend named 'tape' (backends: file, azure)");
    }

    @Test
    void aBackendInAClassLoaderOfItsOwnIsFoundThroughThatLoader() throws IOException {
        String location = dir.resolve("data").toString();
        assertThatThrownBy(() -> Storage.provider(location, "plugin-file", library))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no storage backend named 'plugin-file'");
        try (URLClassLoader plugins = pluginLoader()) {
            StorageProvider plugin = Storage.provider(location, "plugin-file", plugins);
            assertThat(plugin).isNotInstanceOf(FileStorageProvider.class);
            assertThat(plugin.name()).isEqualTo("plugin-file");
            try (StoreEngine engine = plugin.openEngine("plugin-file:" + location,
                    EngineOptions.defaults().withDurability(Durability.NONE))) {
                engine.append(StoreId.of("plugged"), java.util.List.of(NewEvent.of("s", "x"))).join();
            }
            assertThat(dir.resolve("data/plugged")).isDirectory();
        }
    }

    /** A loader whose META-INF/services lists {@link PluginStorageProvider}; the test class path does not. */
    private URLClassLoader pluginLoader() throws IOException {
        Path root = dir.resolve("plugin");
        Path services = root.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(StorageProvider.class.getName()), PluginStorageProvider.class.getName() + "\n");
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, library);
    }
}
