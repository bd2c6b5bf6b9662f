package io.dataplatform.projections.worker;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The worker's projection configurations on disk ({@code --config-dir}): one file
 * {@code <name>.json} per projection, {@code {"name": ..., "config": {...}, "paused": false}},
 * replaced atomically (written to {@code <name>.json.tmp}, synced, renamed, directory synced), so a
 * crash leaves the old file or the new one. Without a directory, configurations live in memory only.
 * Thread-safe (methods are synchronized); one worker per directory.
 */
final class ProjectionConfigFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectionConfigFiles.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String SUFFIX = ".json";

    /** One saved projection. */
    record Saved(String name, Map<String, String> config, boolean paused) {
    }

    private final Path directory;

    ProjectionConfigFiles(Path directory) {
        this.directory = directory;
        if (directory != null) {
            try {
                Files.createDirectories(directory);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the config directory " + directory, e);
            }
        }
    }

    /** Every saved configuration; a file that cannot be read is logged and skipped. */
    synchronized List<Saved> load() {
        List<Saved> all = new ArrayList<>();
        if (directory == null) {
            return all;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
                try {
                    Map<String, Object> tree = JSON.readValue(file.toFile(), new TypeReference<Map<String, Object>>() { });
                    @SuppressWarnings("unchecked")
                    Map<String, Object> config = (Map<String, Object>) tree.get("config");
                    Map<String, String> values = new java.util.LinkedHashMap<>();
                    config.forEach((k, v) -> values.put(k, String.valueOf(v)));
                    all.add(new Saved((String) tree.get("name"), values, Boolean.TRUE.equals(tree.get("paused"))));
                } catch (IOException | RuntimeException e) {
                    LOG.error("projection configuration {} cannot be read, skipped: {}", file, e.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the config directory " + directory, e);
        }
        return all;
    }

    synchronized void save(Saved saved) {
        if (directory == null) {
            return;
        }
        Path file = directory.resolve(saved.name() + SUFFIX);
        Path temporary = directory.resolve(saved.name() + SUFFIX + ".tmp");
        try {
            byte[] bytes = JSON.writeValueAsBytes(Map.of("name", saved.name(), "config", saved.config(), "paused", saved.paused()));
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(java.nio.ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the configuration of projection '" + saved.name() + "' in " + file, e);
        }
    }

    synchronized void remove(String name) {
        if (directory == null) {
            return;
        }
        try {
            Files.deleteIfExists(directory.resolve(name + SUFFIX));
            syncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the configuration of projection '" + name + "'", e);
        }
    }

    private void syncDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the rename is still atomic
        }
    }
}
