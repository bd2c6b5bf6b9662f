package io.dataplatform.node;

import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StagedBatchWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Store incarnations, staged imports and the size of a store, over HTTP against a real node. */
class IncarnationOverHttpTest {
    @TempDir
    static Path dir;
    static Node node;
    static Http http;

    @BeforeAll
    static void startNode() {
        node = NodeFixture.start(dir);
        http = new Http(node.endpoint());
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    private static String incarnation(String store) {
        return http.getJson("/stores/" + store).json().path("incarnation").asText();
    }

    @Test
    void readsAnswerTheIncarnationAndRefuseAPositionOfAnother() {
        assertThat(http.postText("/stores/lives/streams/s", "first life").status()).isEqualTo(201);
        String first = incarnation("lives");
        assertThat(first).matches("[0-9a-f]{32}");

        Http.Answer json = http.getJson("/stores/lives/events?from=0&incarnation=" + first);
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.json().path("incarnation").asText()).isEqualTo(first);
        assertThat(json.header("DP-Incarnation")).isEqualTo(first);
        Http.Answer records = http.get("/stores/lives/events?from=0");
        assertThat(records.header("DP-Incarnation")).isEqualTo(first);

        assertThat(http.send("DELETE", "/stores/lives", null, null, null).status()).isEqualTo(200);
        assertThat(http.postText("/stores/lives/streams/s", "second life").status()).isEqualTo(201);
        String second = incarnation("lives");
        assertThat(second).isNotEqualTo(first);

        Http.Answer refused = http.getJson("/stores/lives/events?from=0&incarnation=" + first);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.error()).isEqualTo("store_recreated");
        assertThat(refused.detail()).contains(first, second);
        // a long poll with a stale incarnation is refused at once, not after its wait
        long commit = http.getJson("/stores/lives").json().path("commit").path("position").asLong();
        Http.Answer waiting = http.getJson("/stores/lives/events?from=" + commit + "&wait=30&incarnation=" + first);
        assertThat(waiting.status()).isEqualTo(409);
        assertThat(http.getJson("/stores/lives/events?from=0&incarnation=" + second).status()).isEqualTo(200);

        Http.Answer invalid = http.getJson("/stores/lives/events?from=0&incarnation=ABC");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.error()).isEqualTo("invalid_parameter");
    }

    @Test
    void aReplayedImportFindsNoStagedFileAndAppendsNothing() throws Exception {
        Path staging = dir.resolve(".staging");
        Files.createDirectories(staging);
        try (StagedBatchWriter writer = StagedBatchWriter.create(staging.resolve("once.batch"))) {
            for (int i = 0; i < 3; i++) {
                writer.add(NewEvent.of("s", "event-" + i));
            }
        }
        byte[] body = "{\"location\":\"once.batch\"}".getBytes(StandardCharsets.UTF_8);
        Http.Answer imported = http.post("/stores/replayed/import", "application/json", body);
        assertThat(imported.status()).as(imported.text()).isEqualTo(201);
        assertThat(staging.resolve("once.batch")).doesNotExist();

        Http.Answer replay = http.post("/stores/replayed/import", "application/json", body);
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.error()).isEqualTo("invalid_staging_location");
        assertThat(http.getJson("/stores/replayed").json().path("commit").path("version").asLong()).isEqualTo(3);
    }

    @Test
    void aRefusedImportCreatesNoStore() throws Exception {
        Path staging = Files.createDirectories(dir.resolve(".staging"));
        Files.write(staging.resolve("garbage.batch"), new byte[]{0, 0, 0, 30, 1, 2, 3});
        Http.Answer refused = http.post("/stores/never-made/import", "application/json",
                "{\"location\":\"garbage.batch\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error()).isEqualTo("invalid_input");
        assertThat(http.get("/stores/never-made").status()).isEqualTo(404);
        assertThat(http.get("/stores").json().path("stores").findValuesAsText("store")).doesNotContain("never-made");
        assertThat(dir.resolve("never-made")).doesNotExist();
    }

    @Test
    void bytesIsWhatTheChunkFilesTakeAndTheCommitPositionIsTheLogsLength() {
        // a busy store of small commits writes zeros ahead of its log: bytes then exceeds the log's length
        for (int i = 0; i < 100; i++) {
            assertThat(http.postText("/stores/busy/streams/s", "event-" + i).status()).isEqualTo(201);
        }
        var stats = http.getJson("/stores/busy").json();
        long position = stats.path("commit").path("position").asLong();
        assertThat(position).isEqualTo(100L * (8 + 18 + 1 + "event-00".length()) - 10);
        assertThat(stats.path("bytes").asLong()).isGreaterThan(position);
    }
}
