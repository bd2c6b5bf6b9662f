package io.dataplatform.store.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * The one way the file backend opens a {@link FileChannel}: chunk files, the commit pointer file,
 * directories to sync. Production code uses {@link #DEFAULT}; tests pass an opener that wraps the
 * channels to inject disk faults (short writes, failing syncs, a full disk, damaged reads) without
 * touching the code under test. Implementations are thread-safe.
 */
@FunctionalInterface
interface FileOpener {

    FileOpener DEFAULT = FileChannel::open;

    FileChannel open(Path path, OpenOption... options) throws IOException;
}
