package io.dataplatform.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing a backend plugin from a location string. */
class ViewStoresTest {

    @TempDir
    Path temp;

    @Test
    void aDirectoryOpensTheFileBackendAndCreatesIt() {
        try (ViewStore store = ViewStores.open(temp.resolve("views").toString())) {
            store.container("app").writeBytes("a", "1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(temp.resolve("views/app/views/a.json")).hasContent("1");
    }

    @Test
    void aMemoryLocationOpensTheMemoryBackend() {
        try (ViewStore store = ViewStores.open("memory:")) {
            store.container("app").writeBytes("a", "1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(store.reader("app").exists("a")).isTrue();
        }
        assertThat(temp.toFile().list()).isEmpty();
    }

    @Test
    void aBackendCanBeNamedExplicitly() {
        try (ViewStore store = ViewStores.open("memory:x", ViewStoreOptions.defaults()
                .withBackend("io.dataplatform.views.memory.MemoryBackendProvider"))) {
            assertThat(store.reader("app").exists("a")).isFalse();
        }
        assertThatThrownBy(() -> ViewStores.open("memory:x", ViewStoreOptions.defaults().withBackend("s3")))
                .isInstanceOf(ViewStoreException.class)
                .hasMessageContaining("no view backend named 's3'")
                .hasMessageContaining("file").hasMessageContaining("memory");
    }

    @Test
    void aBackendInAClassLoaderOfItsOwnIsFoundThroughThatLoader() throws Exception {
        ViewStoreOptions plugin = ViewStoreOptions.defaults().withBackend("plugin");
        assertThatThrownBy(() -> ViewStores.open("memory:", plugin)).isInstanceOf(ViewStoreException.class)
                .hasMessageContaining("no view backend named 'plugin'");
        try (java.net.URLClassLoader plugins = PluginLoader.listing(temp.resolve("plugin"),
                io.dataplatform.views.spi.ViewBackendProvider.class, PluginBackendProvider.class)) {
            try (ViewStore store = ViewStores.open("plugin:views", plugin, plugins)) {
                store.container("app").writeBytes("a", "1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                assertThat(store.reader("app").exists("a")).isTrue();
            }
            try (ViewStore store = ViewStores.open("plugin:views", plugin, plugins)) {
                assertThat(store.reader("app").exists("a")).as("the plugin's memory space, named views").isTrue();
            }
        }
    }

    @Test
    void aDirectoryWhoseNameHoldsAnEqualsSignIsStillADirectory() {
        try (ViewStore store = ViewStores.open(temp.resolve("run=1").toString())) {
            store.container("app").writeBytes("a", "1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(temp.resolve("run=1/app/views/a.json")).hasContent("1");
    }

    @Test
    void anUnreachableAzureAccountIsRefusedWithoutShowingTheKey() {
        // port 1 of this machine: nothing listens, the connection is refused at once (no network needed)
        String location = "DefaultEndpointsProtocol=http;AccountName=acme;AccountKey=c2VjcmV0;BlobEndpoint=http://127.0.0.1:1/acme;|views";
        assertThatThrownBy(() -> ViewStores.open(location))
                .isInstanceOf(ViewStoreException.class)
                .hasMessageContaining("cannot open the azure view backend")
                .hasMessageContaining("AccountKey=***")
                .hasMessageNotContaining("c2VjcmV0");
    }

    @Test
    void aClosedStoreRefusesUse() {
        ViewStore store = ViewStores.open("memory:");
        store.close();
        store.close();
        assertThatThrownBy(() -> store.container("app")).isInstanceOf(ViewStoreException.class).hasMessageContaining("closed");
    }
}
