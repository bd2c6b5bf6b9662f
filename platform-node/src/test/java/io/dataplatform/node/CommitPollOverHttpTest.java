package io.dataplatform.node;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /stores/{store}/commit?after=&waitMs=}: the pointer long poll, over HTTP. */
class CommitPollOverHttpTest {

    @TempDir
    static Path dir;
    static Node node;
    static Http http;

    @BeforeAll
    static void start() {
        node = NodeFixture.start(dir); // idle timeout 60 s: one poll waits up to 55 s
        http = new Http(node.endpoint());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static long append(String store) {
        Http.Answer answer = http.post("/stores/" + store + "/streams/s", "application/octet-stream",
                "x".getBytes(StandardCharsets.UTF_8));
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.json().path("next").asLong();
    }

    private static long position(Http.Answer answer) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        JsonNode commit = answer.json().path("commit");
        assertThat(answer.header("DP-Commit-Position")).isEqualTo(commit.path("position").asText());
        assertThat(answer.header("DP-Commit-Version")).isEqualTo(commit.path("version").asText());
        return commit.path("position").asLong();
    }

    @Test
    void answersThePointerAtOnceWhenItIsPastAfter() {
        long next = append("poll-now");
        assertThat(position(http.get("/stores/poll-now/commit"))).isEqualTo(next);
        assertThat(position(http.get("/stores/poll-now/commit?after=0&waitMs=60000"))).isEqualTo(next);
        assertThat(http.get("/stores/poll-now/commit").json().path("store").asText()).isEqualTo("poll-now");
    }

    @Test
    void aWaitingPollIsAnsweredByTheNextCommitPastAfter() throws Exception {
        long after = append("poll-wait");
        CompletableFuture<Http.Answer> poll = CompletableFuture.supplyAsync(
                () -> http.get("/stores/poll-wait/commit?after=" + after + "&waitMs=60000"));
        awaitWaitingPolls(1); // the poll waits now: the commit below must wake it
        long next = append("poll-wait");
        // awaited for less than the poll's 55 s: the commit answered it, not its timeout
        assertThat(position(poll.get(30, TimeUnit.SECONDS))).isEqualTo(next);
    }

    @Test
    void aPollWhoseWaitRunsOutAnswersThePointerAsItIs() {
        long after = append("poll-timeout");
        assertThat(position(http.get("/stores/poll-timeout/commit?after=" + after + "&waitMs=20"))).isEqualTo(after);
        assertThat(position(http.get("/stores/poll-timeout/commit?after=" + (after + 1000) + "&waitMs=20")))
                .isEqualTo(after);
    }

    @Test
    void badParametersAndUnknownStoresAreRefused() {
        append("poll-bad");
        assertError(http.get("/stores/poll-bad/commit?after=x"), 400, "invalid_parameter", "after");
        assertError(http.get("/stores/poll-bad/commit?after=-2"), 400, "invalid_parameter", "after");
        assertError(http.get("/stores/poll-bad/commit?waitMs=60001"), 400, "invalid_parameter", "waitMs");
        assertError(http.get("/stores/poll-none/commit?waitMs=10"), 404, "store_not_found", "poll-none");
        assertError(http.get("/stores/p/commit"), 400, "invalid_store_id", "'p'");
    }

    /** Awaits (at most 30 s) the node's gauge of waiting long polls reaching {@code count}. */
    private static void awaitWaitingPolls(long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (HttpApiTest.metricValue(http.get("/metrics").text(), "dp_long_polls_waiting") != count) {
            assertThat(System.nanoTime() - deadline).as("long polls waiting: never %d", count).isNegative();
            Thread.sleep(5); // the interval of this condition check, bounded by the deadline
        }
    }

    private static void assertError(Http.Answer answer, int status, String error, String detailPart) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.error()).isEqualTo(error);
        assertThat(answer.detail()).contains(detailPart);
    }
}
