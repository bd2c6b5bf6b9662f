package io.dataplatform.cli.client;

import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStoreOptions;
import io.dataplatform.views.ViewStores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The view store a client command writes to: {@code --views} if given, else {@code .views} inside
 * {@code --location} (a name no store can have), else a temporary directory deleted on close.
 * Not thread-safe; the view store it opens is.
 */
final class BenchViews implements AutoCloseable {

    private final String location;
    private final Path temporary;
    private final ViewStore store;

    private BenchViews(String location, Path temporary) {
        this.location = location;
        this.temporary = temporary;
        this.store = ViewStores.open(location);
    }

    static BenchViews open(String views, String storageLocation) throws IOException {
        if (views != null) {
            return new BenchViews(views, null);
        }
        if (storageLocation != null) {
            return new BenchViews(Path.of(storageLocation).resolve(".views").toString(), null);
        }
        Path temporary = Files.createTempDirectory("dp-client-views-");
        return new BenchViews(temporary.toString(), temporary);
    }

    String location() {
        return location;
    }

    boolean isTemporary() {
        return temporary != null;
    }

    ViewStore store() {
        return store;
    }

    /** Another view store over the same location without a cache: every read goes to storage. */
    ViewStore uncachedReaders() {
        return ViewStores.open(location, ViewStoreOptions.defaults().withCacheMaxBytes(0));
    }

    @Override
    public void close() {
        store.close();
        if (temporary != null) {
            deleteTree(temporary);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
