package io.dataplatform.store.file;

import io.dataplatform.store.StoreException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The chunk files of one store: {@code <store>/chunks/<first position, 20 digits>.dat}. A chunk
 * holds whole records; the next chunk starts where the previous one ends, so a position maps to
 * the chunk with the greatest start at or before it. Not thread-safe.
 */
final class ChunkFiles {

    static final String DIRECTORY = "chunks";
    private static final String SUFFIX = ".dat";
    private static final int DIGITS = 20;

    private final String store;
    private final Path directory;
    private NavigableMap<Long, Path> chunks = new TreeMap<>();

    ChunkFiles(String store, Path storeDirectory) {
        this.store = store;
        this.directory = storeDirectory.resolve(DIRECTORY);
    }

    static String fileName(long start) {
        String digits = Long.toString(start);
        return "0".repeat(DIGITS - digits.length()) + digits + SUFFIX;
    }

    /** The start position a chunk file name stands for, or -1 if it is not a chunk file name. */
    static long parse(String name) {
        if (name.length() != DIGITS + SUFFIX.length() || !name.endsWith(SUFFIX)) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < DIGITS; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
            if (value < 0) {
                return -1;
            }
        }
        return value;
    }

    Path directory() {
        return directory;
    }

    Path path(long start) {
        return directory.resolve(fileName(start));
    }

    /** Re-reads the directory listing. */
    ChunkFiles refresh() {
        NavigableMap<Long, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                long start = parse(file.getFileName().toString());
                if (start >= 0) {
                    found.put(start, file);
                }
            }
        } catch (NoSuchFileException e) {
            throw new StoreException(store, "store '" + store + "' has no chunk directory " + directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list chunks of store '" + store + "' in " + directory, e);
        }
        chunks = found;
        return this;
    }

    /** Start of the chunk holding {@code position}, or -1 if no known chunk starts at or before it. */
    long startOf(long position) {
        Long start = chunks.floorKey(position);
        return start == null ? -1 : start;
    }

    /** Start of the chunk after the one starting at {@code start}, or -1 if it is the last known. */
    long nextStart(long start) {
        Long next = chunks.higherKey(start);
        return next == null ? -1 : next;
    }

    long lastStart() {
        return chunks.isEmpty() ? -1 : chunks.lastKey();
    }

    int count() {
        return chunks.size();
    }

    boolean isEmpty() {
        return chunks.isEmpty();
    }

    NavigableMap<Long, Path> all() {
        return chunks;
    }

    void added(long start) {
        chunks.put(start, path(start));
    }

    void removed(long start) {
        chunks.remove(start);
    }

    /** Total bytes of all chunk files, as the file system reports them. */
    long totalBytes() {
        long total = 0;
        for (Map.Entry<Long, Path> chunk : chunks.entrySet()) {
            try {
                total += Files.size(chunk.getValue());
            } catch (NoSuchFileException e) {
                // deleted meanwhile: counts for nothing
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return total;
    }
}
