package io.dataplatform.store.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A store's directory as a whole, {@code <root>/<store>/}: whether it holds a store, and deleting
 * it with everything in it. The files inside belong to {@link ChunkFiles}, {@link CommitPointerFile}
 * and {@link IncarnationFile}. Stateless and thread-safe; callers keep writers away meanwhile.
 */
final class StoreDirectory {

    private StoreDirectory() {
    }

    /** True if {@code directory} holds a store: a store is a directory with a chunk directory in it. */
    static boolean holdsStore(Path directory) {
        return Files.isDirectory(directory.resolve(ChunkFiles.DIRECTORY));
    }

    /** True if anything of a store is there (created, or being created). */
    static boolean exists(Path directory) {
        return Files.exists(directory);
    }

    /** Deletes the directory and everything in it, then syncs its parent; nothing if it does not exist. */
    static void delete(Path directory, FileOpener opener) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
        FileStoreLog.syncDirectory(opener, directory.getParent());
    }
}
