package io.dataplatform.views.spi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Containers kept as one directory each under a root directory ({@code file}, {@code rocksdb}
 * backends): listing them, and dropping one so that a crash midway leaves it whole or gone. A
 * drop first renames {@code <root>/<name>} to {@code <root>/.dropped-<name>-<random>} in one
 * atomic rename, makes the rename durable (fsync of the root), and only then deletes the renamed
 * tree; a crash during the deletion leaves a {@code .dropped-*} directory, which no container
 * name can match (names start with a letter or digit) and which {@link #deleteLeftovers} removes
 * later. Deleting files of the container in place could instead leave a part of it that reads as
 * an older state (a checkpoint without its views, views without their checkpoint).
 *
 * <p>Stateless and thread-safe; the caller holds the container's writer lock across {@link #moveAside}.
 */
public final class ContainerDirectories {

    private static final String DROPPED = ".dropped-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ContainerDirectories() {
    }

    /** The names of the directories under {@code root}, leftovers of drops excluded; empty if {@code root} is missing. */
    public static List<String> list(Path root) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                String name = child.getFileName().toString();
                if (!name.startsWith(".") && Files.isDirectory(child)) {
                    names.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return names;
    }

    /**
     * Renames the container directory {@code dir} aside, durably: from here on the container no
     * longer exists, even after a crash. Returns where it went, or null if {@code dir} did not exist.
     */
    public static Path moveAside(Path dir) throws IOException {
        Path root = dir.getParent();
        Path aside = root.resolve(DROPPED + dir.getFileName() + "-" + HexFormat.of().toHexDigits(RANDOM.nextLong()));
        try {
            Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return null;
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + root + " cannot rename atomically", e);
        }
        Uninterruptible.run(() -> { // the rename is done: an interrupt must not fail the drop now
            try (FileChannel channel = FileChannel.open(root, StandardOpenOption.READ)) {
                channel.force(true);
            }
        });
        return aside;
    }

    /** Deletes the tree at {@code dir}, children first; files already gone are fine. */
    public static void deleteTree(Path dir) throws IOException {
        List<Path> paths;
        try (Stream<Path> all = Files.walk(dir)) {
            paths = all.sorted(Comparator.reverseOrder()).toList();
        } catch (NoSuchFileException e) {
            return;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
    }

    /** Deletes what drops interrupted by a crash left under {@code root}, best effort (another process may be at it too). */
    public static void deleteLeftovers(Path root) {
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                if (child.getFileName().toString().startsWith(DROPPED)) {
                    try {
                        deleteTree(child);
                    } catch (IOException | UncheckedIOException e) {
                        // another process deleting it at the same time, or a file still busy: the next open retries
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // an unreadable root surfaces on the first real operation
        }
    }
}
