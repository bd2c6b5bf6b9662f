package io.dataplatform.store.file;

import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.log.LogStorageEngine;

import java.nio.file.Path;

/**
 * The storage engine on files: a {@link LogStorageEngine} over a {@link FileSpace}. Stores are
 * directories under one root, {@code <root>/<store>/chunks/*.dat}, {@code <root>/<store>/commit.chk},
 * and the staging area is {@code <root>/.staging/}. This process must be the only writer of the
 * root. Thread-safe.
 */
public final class FileStorageEngine extends LogStorageEngine {

    private final FileSpace files;

    public FileStorageEngine(Path root, EngineOptions options) {
        this(root, options, FileOpener.DEFAULT);
    }

    /** An engine whose files are all opened through {@code opener} (tests wrap channels to inject faults). */
    FileStorageEngine(Path root, EngineOptions options, FileOpener opener) {
        this(new FileSpace(root, options, opener), options);
    }

    private FileStorageEngine(FileSpace files, EngineOptions options) {
        super(files, options);
        this.files = files;
    }

    /** The directory holding the stores. */
    public Path root() {
        return files.root();
    }

    @Override
    public FileStagingArea stagingArea() {
        return files.staging();
    }
}
