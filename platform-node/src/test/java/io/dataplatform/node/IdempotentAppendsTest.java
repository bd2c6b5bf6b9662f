package io.dataplatform.node;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.StoreId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Batch appends with an idempotency key: a replay answers the original result and stores nothing. */
class IdempotentAppendsTest {
    @TempDir
    static Path dir;
    static Node node;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void startNode() {
        node = NodeFixture.start(dir);
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    private static HttpResponse<String> post(String store, String key, byte[] frames) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.endpoint().resolve("/stores/" + store + "/events"))
                .header("Content-Type", EventFrames.FRAMES).POST(HttpRequest.BodyPublishers.ofByteArray(frames));
        if (key != null) {
            request.header(IdempotentAppends.HEADER, key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aReplayedKeyAnswersTheOriginalResultAndStoresNothing() throws Exception {
        byte[] frames = Http.frames("s", "one", "s", "two");
        HttpResponse<String> first = post("idem-replay", "key-00000001", frames);
        HttpResponse<String> replay = post("idem-replay", "key-00000001", frames);
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(node.engine().commitPointer(StoreId.of("idem-replay")).orElseThrow().version()).isEqualTo(2);
        HttpResponse<String> other = post("idem-replay", "key-00000002", frames);
        assertThat(other.body()).contains("\"version\":4");
    }

    @Test
    void aReplayedImportAnswersTheOriginalResultThoughItsStagedFileIsConsumed() throws Exception {
        Path staging = java.nio.file.Files.createDirectories(dir.resolve(".staging"));
        try (io.dataplatform.store.StagedBatchWriter writer =
                     io.dataplatform.store.StagedBatchWriter.create(staging.resolve("idem-import.dat"))) {
            for (int i = 0; i < 10; i++) {
                writer.add(io.dataplatform.store.NewEvent.of("s", "event " + i));
            }
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(node.endpoint().resolve("/stores/idem-import/import"))
                .header("Content-Type", "application/json").header(IdempotentAppends.HEADER, "import-key-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"location\":\"idem-import.dat\"}"));
        HttpResponse<String> first = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(staging.resolve("idem-import.dat")).doesNotExist();
        HttpResponse<String> replay = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(node.engine().commitPointer(StoreId.of("idem-import")).orElseThrow().version()).isEqualTo(10);
    }

    @Test
    void theSameKeyWithAnotherBodyOrStoreIsRefused() throws Exception {
        assertThat(post("idem-reuse", "key-reused-1", Http.frames("s", "a")).statusCode()).isEqualTo(201);
        HttpResponse<String> otherBody = post("idem-reuse", "key-reused-1", Http.frames("s", "b"));
        assertThat(otherBody.statusCode()).isEqualTo(422);
        assertThat(otherBody.body()).contains("idempotency_key_reused").contains("key-reused-1");
        HttpResponse<String> otherStore = post("idem-reuse-2", "key-reused-1", Http.frames("s", "a"));
        assertThat(otherStore.statusCode()).isEqualTo(422);
        assertThat(node.engine().commitPointer(StoreId.of("idem-reuse-2"))).isEmpty();
    }

    @Test
    void aMalformedKeyIsRefusedBeforeAnythingIsStored() throws Exception {
        HttpResponse<String> answer = post("idem-bad-key", "short", Http.frames("s", "a"));
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("invalid_idempotency_key").contains(IdempotentAppends.HEADER);
        assertThat(node.engine().commitPointer(StoreId.of("idem-bad-key"))).isEmpty();
    }

    @Test
    void keysAreForgottenAfterTheWindowAndBeyondTheCount() {
        AtomicLong now = new AtomicLong();
        IdempotentAppends keys = new IdempotentAppends(Duration.ofSeconds(10), 3, now::get);
        AtomicInteger appends = new AtomicInteger();
        StoreId store = StoreId.of("window");
        java.util.function.Supplier<CompletableFuture<AppendResult>> append = () -> CompletableFuture.completedFuture(
                new AppendResult(0, 10, appends.incrementAndGet(), 1, true));
        assertThat(keys.appendOnce(store, "key-a-000", 1, 1, append).join().version()).isEqualTo(1);
        assertThat(keys.appendOnce(store, "key-a-000", 1, 1, append).join().version()).isEqualTo(1);
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        assertThat(keys.appendOnce(store, "key-a-000", 1, 1, append).join().version()).as("after the window").isEqualTo(2);
        for (String key : new String[] {"key-b-000", "key-c-000", "key-d-000"}) {
            keys.appendOnce(store, key, 1, 1, append);
        }
        assertThat(keys.size()).isEqualTo(3);
        assertThat(keys.appendOnce(store, "key-a-000", 1, 1, append).join().version()).as("beyond the count").isEqualTo(6);
    }

    @Test
    void aFailedAppendForgetsItsKeySoARetryAppendsAnew() {
        IdempotentAppends keys = new IdempotentAppends(Duration.ofMinutes(1), 10, System::nanoTime);
        StoreId store = StoreId.of("failing");
        CompletableFuture<AppendResult> failed = keys.appendOnce(store, "key-fail-0", 1, 1,
                () -> CompletableFuture.failedFuture(new IllegalStateException("disk full")));
        assertThatThrownBy(failed::join).hasRootCauseMessage("disk full");
        AppendResult retried = keys.appendOnce(store, "key-fail-0", 1, 1,
                () -> CompletableFuture.completedFuture(new AppendResult(0, 10, 1, 1, true))).join();
        assertThat(retried.version()).isEqualTo(1);
    }
}
