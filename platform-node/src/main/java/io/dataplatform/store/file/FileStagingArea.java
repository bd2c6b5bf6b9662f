package io.dataplatform.store.file;

import io.dataplatform.store.InvalidInputException;
import io.dataplatform.store.StagingArea;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * {@code <root>/.staging/}: where clients write batch files for import. A location is a plain
 * relative path inside it; {@code ..}, absolute paths, and symbolic links anywhere on the way
 * are refused, so an import can never read a file outside the area. Thread-safe.
 */
final class FileStagingArea implements StagingArea {

    static final String DIRECTORY = ".staging";

    private final Path root;

    FileStagingArea(Path storageRoot) {
        this.root = storageRoot.resolve(DIRECTORY).toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the staging area " + root, e);
        }
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public Path resolve(String location) {
        if (location == null || location.isBlank()) {
            throw refused(location, "a staging location is required");
        }
        if (location.indexOf('\0') >= 0 || location.chars().anyMatch(Character::isISOControl)) {
            throw refused(location, "it holds control characters");
        }
        if (location.startsWith("/") || location.startsWith("\\") || location.contains(":")) {
            throw refused(location, "it is absolute; give a path relative to the staging area");
        }
        Path relative;
        try {
            relative = Path.of(location);
        } catch (InvalidPathException e) {
            throw refused(location, "it is not a valid path");
        }
        if (relative.isAbsolute()) {
            throw refused(location, "it is absolute; give a path relative to the staging area");
        }
        for (Path part : relative) {
            String name = part.toString();
            if (name.equals("..") || name.equals(".")) {
                throw refused(location, "it holds '" + name + "'");
            }
        }
        Path resolved = root.resolve(relative).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw refused(location, "it leaves the staging area");
        }
        Path walk = root;
        for (Path part : relative) {
            walk = walk.resolve(part);
            if (Files.isSymbolicLink(walk)) {
                throw refused(location, "it goes through a symbolic link");
            }
        }
        if (!Files.isRegularFile(resolved, LinkOption.NOFOLLOW_LINKS)) {
            throw refused(location, "no staged file is there");
        }
        return resolved;
    }

    /**
     * Removes a staged file once its batch is committed, so that the same import request, replayed
     * by a client that did not get its answer, finds nothing to import instead of appending the
     * batch twice. Syncs the directory that held it if {@code durable}, so that the removal
     * survives a crash as the commit does.
     */
    static void consume(Path file, boolean durable, FileOpener opener) throws IOException {
        Files.deleteIfExists(file);
        if (durable) {
            StoreLog.syncDirectory(opener, file.toAbsolutePath().getParent());
        }
    }

    /** True if {@code file} lies inside the area (used to check paths handed to the engine directly). */
    boolean contains(Path file) {
        Path normalized = file.toAbsolutePath().normalize();
        return normalized.startsWith(root) && !normalized.equals(root);
    }

    private static InvalidInputException refused(String location, String why) {
        return new InvalidInputException(null, "staging location '" + location + "' is refused: " + why);
    }
}
