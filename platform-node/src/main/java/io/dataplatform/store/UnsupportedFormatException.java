package io.dataplatform.store;

import java.util.List;

/**
 * A store written in a format version this release does not read (a newer release wrote it).
 * Names the store, the file, the version found and the versions this release reads. The store is
 * refused as it is: nothing of it is changed, so the release that wrote it can still open it.
 */
public final class UnsupportedFormatException extends StoreException {
    private static final long serialVersionUID = 1L;

    /** The format versions this release reads. */
    public static final List<Integer> READABLE_VERSIONS = List.of(RecordFormat.FORMAT_VERSION);

    private final String file;
    private final int foundVersion;

    public UnsupportedFormatException(String store, String file, int foundVersion) {
        super(store, "store '" + store + "': " + file + " carries format version " + foundVersion
                + "; this release reads format version" + (READABLE_VERSIONS.size() == 1 ? " " : "s ")
                + READABLE_VERSIONS.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("")
                + ". The store was written by another (newer) release; it was left unchanged");
        this.file = file;
        this.foundVersion = foundVersion;
    }

    /** The file that carries the version. */
    public String file() {
        return file;
    }

    public int foundVersion() {
        return foundVersion;
    }
}
