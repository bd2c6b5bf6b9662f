package io.dataplatform.views.file;

import io.dataplatform.views.spi.Uninterruptible;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive writer lock of a container: an OS file lock on {@code <container>/writer.lock},
 * released by {@link #close} or by the death of the process. Thread-safe.
 *
 * <p>An interrupt cannot lose the lock: the channel holding it makes no I/O call after the lock
 * is taken (a channel is closed by an interrupt only during such a call), and taking it runs
 * through {@link Uninterruptible}.
 */
final class WriterLock implements AutoCloseable {

    private final FileChannel channel;

    WriterLock(Path path, String container) throws IOException {
        this.channel = Uninterruptible.call(() -> take(path, container));
    }

    private static FileChannel take(Path path, String container) throws IOException {
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
        return opened;
    }

    /** Closing the channel releases its lock. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
