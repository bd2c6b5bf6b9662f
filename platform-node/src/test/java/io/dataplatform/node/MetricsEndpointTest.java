package io.dataplatform.node;

import io.dataplatform.metrics.PrometheusMetrics;
import io.dataplatform.store.RecordFormat;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /metrics} of a real node, read with a Vert.x HTTP client the way Prometheus scrapes it:
 * the exposition format, and each documented metric's name, type and value after known traffic.
 * The extension waits for each test's context (30 s at most) after the method returns.
 */
@ExtendWith(VertxExtension.class)
class MetricsEndpointTest {
    @TempDir
    Path dir;
    Node node;

    @BeforeEach
    void startNode() {
        node = NodeFixture.start(dir);
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    private Future<HttpClientResponse> send(HttpClient client, HttpMethod method, String path, String body) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(node.endpoint().getHost())
                .setPort(node.port()).setURI(path);
        return client.request(options).compose(request -> body == null ? request.send() : request.send(body));
    }

    @Test
    void threeAppendsShowInEveryCommitMetric(Vertx vertx, VertxTestContext test) {
        HttpClient client = vertx.createHttpClient();
        List<String> bodies = List.of("a", "bb", "ccc");
        Future<Void> appended = Future.succeededFuture();
        for (String body : bodies) {
            // one after the other: three commits of one append each
            appended = appended.compose(v -> send(client, HttpMethod.POST, "/stores/metered/streams/s", body)
                    .compose(response -> {
                        assertThat(response.statusCode()).isEqualTo(201);
                        return response.body().mapEmpty();
                    }));
        }
        appended.compose(v -> send(client, HttpMethod.GET, "/metrics", null))
                .compose(response -> response.body().map(text -> new Scrape(response.getHeader("content-type"), text)))
                .onComplete(test.succeeding(scrape -> test.verify(() -> {
                    assertThat(scrape.contentType()).isEqualTo(PrometheusMetrics.CONTENT_TYPE);
                    String text = scrape.text();
                    long recordBytes = bodies.stream().mapToLong(b -> RecordFormat.recordSize(1, b.length())).sum();
                    assertThat(value(text, "dp_commits_total")).isEqualTo(3);
                    assertThat(value(text, "dp_appends_total")).isEqualTo(3);
                    assertThat(value(text, "dp_events_total")).isEqualTo(3);
                    assertThat(value(text, "dp_bytes_total")).isEqualTo(recordBytes);
                    assertThat(value(text, "dp_commit_events_count")).isEqualTo(3);
                    assertThat(value(text, "dp_commit_events_sum")).isEqualTo(3);
                    assertThat(value(text, "dp_commit_events_bucket{le=\"1.0\"}")).isEqualTo(3);
                    assertThat(value(text, "dp_commit_appends_bucket{le=\"+Inf\"}")).isEqualTo(3);
                    assertThat(value(text, "dp_write_seconds_count")).isEqualTo(3);
                    assertThat(value(text, "dp_sync_seconds_count")).isEqualTo(3);
                    assertThat(value(text, "dp_sync_seconds_bucket{le=\"+Inf\"}")).isEqualTo(3);
                    assertThat(value(text, "dp_queued_bytes")).isZero();
                    assertThat(value(text, "dp_http_inflight_bytes")).isZero();
                    assertThat(value(text, "dp_long_polls_waiting")).isZero();
                    assertThat(value(text, "dp_failed_stores")).isZero();
                    assertThat(value(text, "dp_jvm_heap_used_bytes")).isPositive();
                    assertThat(value(text, "dp_jvm_heap_max_bytes")).isGreaterThanOrEqualTo(value(text, "dp_jvm_heap_used_bytes"));
                    assertThat(value(text, "dp_http_responses_total{class=\"2xx\"}")).isEqualTo(3);
                    assertThat(value(text, "dp_http_responses_total{class=\"5xx\"}")).isZero();
                    assertThat(value(text, "dp_http_unavailable_total")).isZero();
                    assertThat(text).contains("# TYPE dp_commits_total counter", "# TYPE dp_commit_events histogram",
                            "# TYPE dp_write_seconds histogram", "# TYPE dp_queued_bytes gauge",
                            "# TYPE dp_http_responses_total counter");
                    test.completeNow();
                })));
    }

    @Test
    void everyAnswer503IsCountedAsUnavailable(Vertx vertx, VertxTestContext test) {
        HttpClient client = vertx.createHttpClient();
        node.engine().close(); // every write now answers 503 store_closed
        send(client, HttpMethod.POST, "/stores/closed/streams/s", "x")
                .compose(response -> {
                    assertThat(response.statusCode()).isEqualTo(503);
                    return response.body();
                })
                .compose(v -> send(client, HttpMethod.GET, "/metrics", null))
                .compose(HttpClientResponse::body)
                .onComplete(test.succeeding(body -> test.verify(() -> {
                    String text = body.toString(StandardCharsets.UTF_8);
                    assertThat(value(text, "dp_http_unavailable_total")).isEqualTo(1);
                    assertThat(value(text, "dp_http_responses_total{class=\"5xx\"}")).isEqualTo(1);
                    test.completeNow();
                })));
    }

    /** The value of the sample named exactly {@code sample} (labels included). */
    private static long value(String text, String sample) {
        return text.lines().filter(line -> line.startsWith(sample + " ")).findFirst()
                .map(line -> HttpApiTest.wholeNumber(line.substring(sample.length() + 1)))
                .orElseThrow(() -> new AssertionError("no sample " + sample + " in\n" + text));
    }

    private record Scrape(String contentType, String text) {
        Scrape(String contentType, Buffer body) {
            this(contentType, body.toString(StandardCharsets.UTF_8));
        }
    }
}
