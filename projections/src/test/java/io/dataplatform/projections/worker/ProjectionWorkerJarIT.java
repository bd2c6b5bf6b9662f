package io.dataplatform.projections.worker;

import io.dataplatform.projections.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The fat jar as a user runs it: {@code java -jar projection-worker.jar}, then {@code views dump}. */
class ProjectionWorkerJarIT {

    private static final Pattern LISTENING = Pattern.compile("worker listening on (http://\\S+) ");

    @TempDir
    Path dir;

    private static List<String> java(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", System.getProperty("projection.worker.jar")));
        command.addAll(List.of(args));
        return command;
    }

    @Test
    void theJarRunsAWorkerWithTheBuiltInProjectionAndDumpsViews() throws Exception {
        Path log = dir.resolve("worker.log");
        Process worker = new ProcessBuilder(java("--http-port", "0", "--config-dir", dir.resolve("config").toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Await.until(Duration.ofSeconds(120), () -> LISTENING.matcher(read(log)).find(), () -> read(log));
            Matcher m = LISTENING.matcher(read(log));
            assertThat(m.find()).isTrue();
            URI endpoint = URI.create(m.group(1));
            HttpClient http = HttpClient.newHttpClient();
            String plugins = http.send(HttpRequest.newBuilder(endpoint.resolve("/projection-plugins")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(plugins).contains("\"name\":\"stream-counts\"");
            assertThat(http.send(HttpRequest.newBuilder(endpoint.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        } finally {
            worker.destroy();
            assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(worker.exitValue()).as(read(log)).isZero();
        assertThat(read(log)).contains("INFO").doesNotContain("DEBUG");

        Process dump = new ProcessBuilder(java("views", "dump", "--location", dir.resolve("views").toString(),
                "--container", "empty")).redirectErrorStream(true).start();
        String out = new String(dump.getInputStream().readAllBytes());
        assertThat(dump.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(dump.exitValue()).as(out).isZero();
        assertThat(out).isEmpty();
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
