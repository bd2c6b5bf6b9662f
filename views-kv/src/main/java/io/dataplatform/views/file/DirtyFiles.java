package io.dataplatform.views.file;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The files of one container written (or deleted) since their last sync, and the directories
 * whose entries changed with them. {@link #sync} makes them all durable at once (one file-system
 * sync, or one parallel pass of fsyncs), so a view rewritten a thousand times between syncs costs
 * one fsync at most, not a thousand.
 *
 * <p>Not thread-safe: used by the one thread writing documents at a time (a flush pass or recovery).
 */
final class DirtyFiles {

    private final Path containerDir;
    private final FileSync sync;
    private final Set<Path> files = new LinkedHashSet<>();
    private final Set<Path> directories = new LinkedHashSet<>();

    DirtyFiles(Path containerDir, FileSync sync) {
        this.containerDir = containerDir;
        this.sync = sync;
    }

    /** {@code file} was replaced, created or deleted. */
    void written(Path file) {
        files.add(file);
        // Every directory up to the container's: a new one's own entry must be durable too. The
        // chain above an already known directory is known already.
        for (Path dir = file.getParent(); dir != null && dir.startsWith(containerDir) && directories.add(dir);
                dir = dir.getParent()) {
            // added
        }
    }

    /** Makes every file written since the last sync durable, and their directories. */
    void sync() throws IOException {
        if (!files.isEmpty() || !directories.isEmpty()) {
            sync.forceWritten(containerDir, files, directories);
        }
        files.clear();
        directories.clear();
    }
}
