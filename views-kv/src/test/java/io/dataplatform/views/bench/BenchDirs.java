package io.dataplatform.views.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Scratch directories for benchmarks: under {@code bench.dir} (default: the system temp dir), removed afterwards. */
final class BenchDirs {

    private BenchDirs() {
    }

    static Path create(String name) {
        try {
            Path base = Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")));
            Files.createDirectories(base);
            return Files.createTempDirectory(base, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] kib(long seed) {
        byte[] document = new byte[1024];
        java.util.Random random = new java.util.Random(seed);
        document[0] = '"';
        for (int i = 1; i < document.length - 1; i++) {
            document[i] = (byte) ('a' + random.nextInt(26));
        }
        document[document.length - 1] = '"';
        return document;
    }
}
