package io.dataplatform.projections.crash;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real projection worker ({@code io.dataplatform.projections.worker.Main}) in a child JVM on a free
 * port, its output appended to a log. {@link #kill()} is {@code kill -9}.
 */
final class WorkerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("worker listening on (http://\\S+) ");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final Process process;
    private final URI endpoint;

    private WorkerProcess(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static WorkerProcess start(Path configDir, Path log) throws IOException, InterruptedException {
        long offset = Files.exists(log) ? Files.size(log) : 0;
        Process process = ChildJvm.start(log, "io.dataplatform.projections.worker.Main",
                "--http-port", "0", "--config-dir", configDir.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && process.isAlive()) {
            String text = Files.readString(log);
            Matcher m = LISTENING.matcher(text.substring((int) Math.min(offset, text.length())));
            if (m.find()) {
                return new WorkerProcess(process, URI.create(m.group(1)));
            }
            Thread.sleep(20); // polling the log for the listening line
        }
        process.destroyForcibly();
        throw new IOException("the worker did not start (see " + log + ")");
    }

    long pid() {
        return process.pid();
    }

    /**
     * One request; up to two minutes for the answer: deploying a projection opens its view store, and
     * the first use of the Azure SDK in a JVM (views on azure) takes tens of seconds on a loaded machine.
     */
    String send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofMinutes(2))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** kill -9, and wait for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    /** SIGTERM: a graceful stop (views written, stores closed). */
    boolean stop() throws InterruptedException {
        process.destroy();
        return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
