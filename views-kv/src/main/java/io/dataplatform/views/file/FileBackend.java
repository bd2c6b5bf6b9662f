package io.dataplatform.views.file;

import io.dataplatform.views.spi.BackendContainer;
import io.dataplatform.views.spi.ContainerDirectories;
import io.dataplatform.views.spi.ViewBackend;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * View containers as directories under one root directory: {@code <root>/<container>/}, laid
 * out as {@link FileContainer} says; {@code <root>/.dropped-*} are drops a crash interrupted
 * ({@link ContainerDirectories}), deleted when the backend opens. Thread-safe.
 */
final class FileBackend implements ViewBackend {

    private final Path root;
    private final FileSync sync;

    FileBackend(Path root) {
        this(root, FileSync.Forced.NONE);
    }

    /** With a listener told of every fsync (test seam: what survives a power loss). */
    FileBackend(Path root, FileSync.Forced forced) {
        this(root, forced, FileSync.FILE_SYSTEM_SYNC_FROM);
    }

    /** With a listener told of every sync, syncing the file system for bulk syncs of {@code fileSystemSyncFrom} paths or more (test seam). */
    FileBackend(Path root, FileSync.Forced forced, int fileSystemSyncFrom) {
        this.root = root.toAbsolutePath().normalize();
        this.sync = new FileSync(forced, fileSystemSyncFrom);
    }

    @Override
    public BackendContainer openContainer(String name, boolean writer) throws IOException {
        Path dir = root.resolve(name);
        return writer ? FileContainer.openWriter(dir, name, sync) : FileContainer.openReader(dir);
    }

    @Override
    public List<String> containers() throws IOException {
        return ContainerDirectories.list(root);
    }

    /** Under the container's writer lock, renames its directory aside (durably), then deletes it: see {@link ContainerDirectories}. */
    @Override
    public void dropContainer(String name) throws IOException {
        Path dir = root.resolve(name);
        if (!Files.isDirectory(dir)) {
            return;
        }
        Path aside;
        try (WriterLock lock = new WriterLock(dir.resolve("writer.lock"), name)) {
            aside = ContainerDirectories.moveAside(dir);
        }
        if (aside != null) {
            ContainerDirectories.deleteTree(aside);
        }
    }

    /**
     * Transient: access denied (on Windows a rename races a reader holding the file open), and
     * file system errors saying busy, try again, interrupted or too many open files. Missing
     * files, full disks, read-only file systems and the like are not.
     */
    @Override
    public boolean isTransient(IOException failure) {
        if (failure instanceof AccessDeniedException) {
            return true;
        }
        if (failure instanceof NoSuchFileException || failure instanceof FileAlreadyExistsException
                || failure instanceof DirectoryNotEmptyException || failure instanceof NotDirectoryException) {
            return false;
        }
        if (failure instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
            String reason = fileSystem.getReason().toLowerCase(Locale.ROOT);
            return reason.contains("busy") || reason.contains("temporarily unavailable") || reason.contains("try again")
                    || reason.contains("interrupted") || reason.contains("too many open files")
                    || reason.contains("being used by another process");
        }
        return false;
    }

    @Override
    public void close() {
        sync.close();
    }
}
