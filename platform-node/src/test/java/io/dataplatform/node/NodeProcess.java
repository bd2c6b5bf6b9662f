package io.dataplatform.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real node in a child JVM ({@code io.dataplatform.cli.Main node}) on the test class path, on a
 * free port; its stderr goes to a file. {@link #kill()} is {@code kill -9}.
 */
final class NodeProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (https?://\\S+), ");

    private final Process process;
    private final URI endpoint;

    private NodeProcess(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    /** Starts a node over {@code storeDir} and waits until it listens. */
    static NodeProcess start(Path storeDir, Path log, String... extraArgs) throws IOException {
        return start(storeDir.toString(), log, Map.of(), extraArgs);
    }

    /**
     * Starts a node over the storage location {@code location} (a directory or an Azure location)
     * with {@code environment} added to its environment, and waits until it listens.
     */
    static NodeProcess start(String location, Path log, Map<String, String> environment, String... extraArgs)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"),
                "io.dataplatform.cli.Main", "node", "--store", location, "--http-port", "0"));
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<URI> listening = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        return URI.create(m.group(1));
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        URI endpoint;
        try {
            endpoint = listening.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException("the node did not start within 120 s (see " + log + ")", e);
        }
        if (endpoint == null) {
            process.destroyForcibly();
            throw new IOException("the node ended before listening (see " + log + ")");
        }
        // keep draining stdout so that the child never blocks on a full pipe
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // discard
                }
            } catch (IOException ignored) {
                // the child is gone
            }
        }, "node-stdout");
        drain.setDaemon(true);
        drain.start();
        return new NodeProcess(process, endpoint);
    }

    URI endpoint() {
        return endpoint;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** kill -9, and wait for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    /** A clean stop (SIGTERM: the node closes its stores and releases what it holds); waits until it is gone. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
