package io.dataplatform.views.file;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes everything written to one file system durable with a single {@code syncfs(2)}: one pass of
 * write-back and one device flush for tens of thousands of files, where an fsync each costs a
 * flush each. Java 17 has no {@code syncfs}, so this runs coreutils' {@code sync -f <dir>}.
 *
 * <p>Used only where it is as safe as the fsyncs it replaces: on Linux 5.8 or later (older kernels'
 * {@code syncfs} did not report write-back errors), with a {@code /usr/bin/sync} or {@code /bin/sync}
 * that knows {@code --file-system}, and only for files whose directories are all on the device of
 * the directory synced (a symlink inside a container may lead elsewhere). A {@code sync} that
 * cannot be started leaves the caller to fsync file by file; one that fails is an I/O error.
 *
 * <p>Stateless apart from the one-time detection. Thread-safe.
 */
final class FileSystemSync {

    private static final Logger LOG = LoggerFactory.getLogger(FileSystemSync.class);
    private static final long HELP_TIMEOUT_SECONDS = 10;

    /** The {@code sync} binary to run, or null when a file-system sync cannot be used here. */
    private static volatile String binary;
    private static volatile boolean detected;

    private FileSystemSync() {
    }

    /** Whether {@link #sync} can be used on this machine (detected once, on first use). */
    static boolean available() {
        if (!detected) {
            synchronized (FileSystemSync.class) {
                if (!detected) {
                    binary = detect();
                    detected = true;
                }
            }
        }
        return binary != null;
    }

    /** Whether every one of {@code directories} is on the same device as {@code dir}, so that syncing its file system covers them. */
    static boolean covers(Path dir, Collection<Path> directories) {
        try {
            Object device = Files.getAttribute(dir, "unix:dev");
            for (Path directory : directories) {
                if (Files.exists(directory) && !Objects.equals(device, Files.getAttribute(directory, "unix:dev"))) {
                    return false;
                }
            }
            return true;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Syncs the file system holding {@code dir}; returns false if the {@code sync} process could
     * not be started (the caller then forces file by file). Throws if it ran and failed.
     */
    static boolean sync(Path dir) throws IOException {
        if (!available()) {
            return false;
        }
        Process process;
        try {
            process = new ProcessBuilder(binary, "-f", dir.toString())
                    .redirectInput(Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            LOG.warn("Could not run {} -f {} ({}); syncing view files one by one instead", binary, dir, e.toString());
            return false;
        }
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        int status = waitFor(process);
        if (status != 0) {
            throw new IOException("syncing the file system of " + dir + " failed: " + binary + " -f exited with "
                    + status + (output.isEmpty() ? "" : ": " + output));
        }
        return true;
    }

    private static int waitFor(Process process) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true; // the sync must finish before anything may rely on it
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String detect() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                || !kernelAtLeast(System.getProperty("os.version", ""), 5, 8)) {
            return null;
        }
        for (String candidate : new String[] {"/usr/bin/sync", "/bin/sync"}) {
            if (Files.isExecutable(Path.of(candidate)) && knowsFileSystemOption(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean knowsFileSystemOption(String candidate) {
        try {
            Process help = new ProcessBuilder(candidate, "--help")
                    .redirectInput(Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true)
                    .start();
            String text;
            try (InputStream out = help.getInputStream()) {
                text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            }
            return help.waitFor(HELP_TIMEOUT_SECONDS, TimeUnit.SECONDS) && help.exitValue() == 0
                    && text.contains("--file-system");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether a Linux release string ({@code 6.1.0-13-amd64}) is at least {@code major.minor}. */
    static boolean kernelAtLeast(String release, int major, int minor) {
        String[] parts = release.split("[^0-9]+", 3);
        try {
            int foundMajor = Integer.parseInt(parts[0]);
            int foundMinor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return foundMajor > major || foundMajor == major && foundMinor >= minor;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
