package io.dataplatform.views.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive writer lock of a container: an OS file lock on {@code <container>/writer.lock},
 * released by {@link #close} or by the death of the process. Thread-safe.
 */
final class WriterLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    WriterLock(Path path, String container) throws IOException {
        FileChannel opened = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock taken;
        try {
            taken = opened.tryLock();
        } catch (OverlappingFileLockException e) {
            taken = null;
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
        if (taken == null) {
            opened.close();
            throw new IOException("container '" + container + "' is already written by another process or store ("
                    + path + " is locked)");
        }
        this.channel = opened;
        this.lock = taken;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
