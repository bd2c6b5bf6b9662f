package io.dataplatform.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The fat jar, run as {@code java -jar} in a child process (failsafe runs this after {@code package}). */
class PlatformNodeJarIT {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+), data in (.+) \\(durability (\\w+)\\)");

    @TempDir
    Path dir;

    /** The dependencies a library user never gets (they are optional) are in the fat jar, with Logback's configuration. */
    @Test
    void fatJarCarriesLogbackPicocliAndTheEpollTransport() throws Exception {
        Path jar = Path.of(System.getProperty("platform.node.jar", "target/platform-node.jar"));
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            for (String entry : new String[] {"logback.xml", "ch/qos/logback/classic/Logger.class",
                    "picocli/CommandLine.class", "META-INF/native/libnetty_transport_native_epoll_x86_64.so",
                    "io/micrometer/prometheusmetrics/PrometheusMeterRegistry.class"}) {
                assertThat(file.getEntry(entry)).as(entry).isNotNull();
            }
        }
    }

    /** The library jar (what a dependency on platform-node brings) holds no logging configuration to impose on its users. */
    @Test
    void libraryJarHoldsNoLogbackConfiguration() throws Exception {
        Path jar = Path.of(System.getProperty("platform.node.library.jar", "target/platform-node-0.1.0-SNAPSHOT.jar"));
        assertThat(jar).exists();
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            assertThat(file.getEntry("logback.xml")).isNull();
            assertThat(file.getEntry("io/dataplatform/node/Node.class")).isNotNull();
        }
    }

    @Test
    void fatJarStartsAnswersHealthAndStopsOnSigterm() throws Exception {
        Path jar = Path.of(System.getProperty("platform.node.jar", "target/platform-node.jar"));
        assertThat(jar).exists();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--http-port", "0")
                .redirectError(dir.resolve("stderr.txt").toFile());
        builder.environment().put("DP_STORE", dir.resolve("data").toString());
        builder.environment().put("DP_DURABILITY", "none");
        Process process = builder.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String first = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(60, TimeUnit.SECONDS);
            assertThat(first).as("first line; stderr: %s", Files.readString(dir.resolve("stderr.txt"))).isNotNull();
            Matcher listening = LISTENING.matcher(first);
            assertThat(listening.find()).as(first).isTrue();
            assertThat(listening.group(2)).isEqualTo(dir.resolve("data").toAbsolutePath().toString());
            assertThat(listening.group(3)).isEqualTo("none");
            URI endpoint = URI.create(listening.group(1));

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(endpoint.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"ok\"");
            HttpResponse<String> append = http.send(HttpRequest.newBuilder(endpoint.resolve("/stores/jar-test/streams/s"))
                    .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(append.statusCode()).isEqualTo(201);
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(endpoint.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(metrics.body()).contains("# TYPE dp_appends_total counter", "\ndp_appends_total 1.0\n");

            // SIGTERM, sent explicitly (Process.destroy() would also close our end of its stdout).
            assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor()).isZero();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
            assertThat(out.readLine()).isEqualTo("Data Platform node stopped");
            assertThat(dir.resolve("data").resolve("jar-test")).isDirectory();
        } finally {
            process.destroyForcibly();
        }
    }
}
