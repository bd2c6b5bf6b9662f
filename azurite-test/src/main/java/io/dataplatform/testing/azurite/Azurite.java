package io.dataplatform.testing.azurite;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Azurite, the official Azure Storage emulator (blob service only), as a child process of this JVM
 * for tests: {@link #shared()} starts one per JVM on a free port of 127.0.0.1, on first use.
 * The emulator keeps its blobs in a fresh temporary directory (deleted when it stops for good), so
 * a {@link #stop()} followed by {@link #start()} (an outage) keeps every blob.
 * <p>
 * The binary is {@code tools/azurite/node_modules/.bin/azurite-blob} of the repository (found by
 * walking up from the working directory, or named by the system property {@code azurite.home}
 * pointing at {@code tools/azurite}); if it is missing, {@code tools/azurite/install.sh} installs
 * it (npm ci) first. The process is started directly (not through npx, whose process tree would
 * outlive a kill) and killed by a shutdown hook. Thread-safe.
 */
public final class Azurite {

    /** The emulator's well-known account and key (public, documented by Microsoft). */
    public static final String ACCOUNT = "devstoreaccount1";
    public static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final AtomicLong CONTAINERS = new AtomicLong();
    private static Azurite shared;

    private final Path binary;
    private final Path dataDirectory;
    private final Path logFile;
    private final int port;
    private Process process;

    private Azurite(Path binary, Path dataDirectory, int port) {
        this.binary = binary;
        this.dataDirectory = dataDirectory;
        this.logFile = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".log");
        this.port = port;
    }

    /**
     * The emulator of this JVM, started (and Azurite installed, if missing) on first use; it is
     * stopped when the JVM exits.
     *
     * @throws IllegalStateException if Azurite cannot be installed or does not answer within 90 s
     */
    public static synchronized Azurite shared() {
        if (shared == null) {
            Path home = home();
            Path binary = home.resolve("node_modules/.bin/azurite-blob");
            if (!Files.isExecutable(binary)) {
                install(home);
            }
            Path data;
            try {
                data = Files.createTempDirectory("azurite-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a directory for Azurite's data", e);
            }
            Azurite azurite = new Azurite(binary, data, freePort());
            try {
                azurite.start();
            } catch (IllegalStateException first) {
                // the free port may have been taken between finding and binding it: one more port
                azurite = new Azurite(binary, data, freePort());
                azurite.start();
            }
            Runtime.getRuntime().addShutdownHook(new Thread(azurite::shutDown, "azurite-stop"));
            shared = azurite;
        }
        return shared;
    }

    /** The port of 127.0.0.1 the blob service listens on. */
    public int port() {
        return port;
    }

    /** The explicit connection string of the emulator's account, with {@code BlobEndpoint} on {@link #port()}. */
    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + ACCOUNT_KEY
                + ";BlobEndpoint=http://127.0.0.1:" + port + "/" + ACCOUNT + ";";
    }

    /** A storage location string: {@link #connectionString()}{@code |container}. */
    public String location(String container) {
        return connectionString() + "|" + container;
    }

    /**
     * A container name no other call of this JVM returned: {@code prefix} lowered and stripped to
     * {@code a-z0-9-}, then a counter and a random part, 3 to 48 characters, a valid Azure
     * container name (and store or view container name).
     */
    public String uniqueContainer(String prefix) {
        String clean = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-")
                .replaceAll("-{2,}", "-").replaceAll("^-+|-+$", "");
        String suffix = CONTAINERS.incrementAndGet() + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        int room = 48 - suffix.length() - 1;
        if (clean.length() > room) {
            clean = clean.substring(0, room).replaceAll("-+$", "");
        }
        return clean.isEmpty() ? "c" + suffix : clean + "-" + suffix;
    }

    /**
     * A client of the emulator's blob service that gives up quickly: at most 3 tries, 5 s each,
     * so a test facing a stopped emulator fails in seconds instead of the SDK's ~90 s.
     */
    public BlobServiceClient serviceClient() {
        return new BlobServiceClientBuilder()
                .connectionString(connectionString())
                .retryOptions(shortRetries())
                .buildClient();
    }

    /** Retry options fit for tests: 3 tries, 5 s per try, 50 ms to 500 ms between them. */
    public static RequestRetryOptions shortRetries() {
        return new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 3, Duration.ofSeconds(5),
                Duration.ofMillis(50), Duration.ofMillis(500), null);
    }

    /**
     * Starts the emulator (again, after {@link #stop()}) on the same port and data directory, and
     * returns when it answers HTTP.
     *
     * @throws IllegalStateException if it exits or does not answer within 90 s
     */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = List.of(binary.toString(),
                "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port),
                "--location", dataDirectory.toString(),
                "--disableTelemetry", "--skipApiVersionCheck", "--silent");
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
        }
        awaitAnswer();
    }

    /**
     * Stops the emulator (an outage: its blobs stay for a later {@link #start()}); returns when the
     * port is closed. Azurite is asked to stop (SIGTERM, so that it saves its blob metadata) and
     * killed if it has not exited within 15 s.
     */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            process.waitFor(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill(process);
        process = null;
        awaitClosed();
    }

    private synchronized void shutDown() {
        if (process != null) {
            kill(process);
            process = null;
        }
        deleteTree(dataDirectory);
        try {
            Files.deleteIfExists(logFile);
        } catch (IOException ignored) {
            // a temporary file the system cleans up anyway
        }
    }

    private void awaitClosed() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (accepts() && System.nanoTime() < deadline) {
            pause();
        }
    }

    private void awaitAnswer() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!answersHttp()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Azurite exited with status " + process.exitValue()
                        + " before answering on port " + port + "; its output: " + tail(logFile));
            }
            if (System.nanoTime() - deadline > 0) {
                kill(process);
                process = null;
                throw new IllegalStateException("Azurite did not answer on port " + port + " within "
                        + START_TIMEOUT.toSeconds() + " s; its output: " + tail(logFile));
            }
            pause();
        }
    }

    /** True once the blob service answers an HTTP request (any status: readiness, not authorization). */
    private boolean answersHttp() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write(("GET /" + ACCOUNT + "?comp=list HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] head = socket.getInputStream().readNBytes(8);
            return new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.");
        } catch (IOException e) {
            return false;
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void kill(Process process) {
        List<ProcessHandle> tree = new ArrayList<>();
        process.descendants().forEach(tree::add);
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** tools/azurite: -Dazurite.home, or the first ancestor of the working directory holding it. */
    static Path home() {
        String configured = System.getProperty("azurite.home");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("tools/azurite");
            if (Files.isRegularFile(candidate.resolve("package.json")) && Files.isRegularFile(candidate.resolve("install.sh"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("tools/azurite (package.json, install.sh) is in no ancestor of " + start
                + ": run the tests inside the repository or set -Dazurite.home=<repository>/tools/azurite");
    }

    private static void install(Path home) {
        Path log = home.resolve("install.log");
        try {
            Process install = new ProcessBuilder("sh", home.resolve("install.sh").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!install.waitFor(INSTALL_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
                install.destroyForcibly();
                throw new IllegalStateException("installing Azurite took longer than " + INSTALL_TIMEOUT.toMinutes()
                        + " min; output: " + tail(log));
            }
            if (install.exitValue() != 0) {
                throw new IllegalStateException("installing Azurite failed (" + home.resolve("install.sh")
                        + " exited with " + install.exitValue() + "): " + tail(log));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + home.resolve("install.sh") + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing Azurite", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static String tail(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.length() > 4_000 ? "..." + text.substring(text.length() - 4_000) : text;
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50); // polling interval of the readiness check, not a wait standing in for it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Azurite", e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // best effort at exit: a temporary directory
                }
            });
        } catch (IOException ignored) {
            // best effort at exit
        }
    }
}
