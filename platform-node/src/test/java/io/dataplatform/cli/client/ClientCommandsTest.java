package io.dataplatform.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataplatform.cli.Main;
import io.dataplatform.client.PlatformClient;
import io.dataplatform.node.Node;
import io.dataplatform.node.NodeConfig;
import io.dataplatform.store.AppendResult;
import io.dataplatform.store.Durability;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.Storage;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.views.Checkpoint;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every client command against a real node in this JVM, with small parameters: the figures each
 * reports match what it did, as {@code verify}, {@code enumerate} and the views on disk show.
 */
class ClientCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHUNK_0 = "00000000000000000000.dat";

    @TempDir
    static Path dir;
    static Node node;

    @BeforeAll
    static void startNode() {
        // durability none keeps the write loops quick here; what is checked is counts, not speed
        node = Node.start(NodeConfig.defaults().withStoreLocation(data().toString()).withPort(0).withEventLoops(2)
                .withDurability(Durability.NONE));
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    static Path data() {
        return dir.resolve("data");
    }

    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    static Run client(String command, String store, String... options) {
        List<String> args = new ArrayList<>(List.of("client", command, "--node", node.endpoint().toString(),
                "--store", store, "--quiet"));
        args.addAll(List.of(options));
        return cli(args.toArray(String[]::new));
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static JsonNode verify(String store) throws Exception {
        Run run = client("verify", store, "--location", data().toString(), "--json");
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        return run.json();
    }

    @Test
    void writeFloodOfAThousandLeavesExactlyAThousandEventsForVerifyAndEnumerate() throws Exception {
        Run flood = client("write-flood", "wrfl", "--count", "1000", "--threads", "4", "--size", "50", "--json");
        assertThat(flood.code()).as(flood.err()).isZero();
        JsonNode result = flood.json();
        assertThat(result.get("command").asText()).isEqualTo("write-flood");
        assertThat(result.get("events").asLong()).isEqualTo(1000);
        assertThat(result.get("partial").asBoolean()).isFalse();
        assertThat(result.get("threadEventsPerSecond")).hasSize(4);
        assertThat(result.get("eventsPerSecond").asDouble()).isPositive();
        assertThat(result.get("latencyP99Ms").asDouble()).isGreaterThanOrEqualTo(result.get("latencyP50Ms").asDouble());

        JsonNode verified = verify("wrfl");
        assertThat(verified.get("events").asLong()).isEqualTo(1000);
        assertThat(verified.get("lastVersion").asLong()).isEqualTo(1000);
        assertThat(verified.get("commitVersion").asLong()).isEqualTo(1000);
        assertThat(verified.get("ok").asBoolean()).isTrue();

        Run direct = client("enumerate", "wrfl", "--location", data().toString(), "--json");
        assertThat(direct.json().get("events").asLong()).isEqualTo(1000);
        assertThat(direct.json().get("source").asText()).isEqualTo("direct");
        assertThat(direct.json().get("bytes").asLong()).isEqualTo(verified.get("bytes").asLong());
        Run http = client("enumerate", "wrfl", "--batch", "64");
        assertThat(http.code()).isZero();
        assertThat(http.out()).startsWith("enumerate: 1,000 events").contains("over HTTP", "last version 1000");
    }

    @Test
    void batchFloodWritesBatchesTimesBatchSizeEvents() throws Exception {
        Run flood = client("batch-flood", "wbfl", "--threads", "2", "--batches", "7", "--batch-size", "50",
                "--size", "20", "--json");
        assertThat(flood.code()).as(flood.err()).isZero();
        JsonNode result = flood.json();
        assertThat(result.get("batches").asLong()).isEqualTo(7);
        assertThat(result.get("events").asLong()).isEqualTo(350);
        assertThat(result.get("dataBytes").asLong()).isEqualTo(350 * 20);
        JsonNode verified = verify("wbfl");
        assertThat(verified.get("events").asLong()).isEqualTo(350);
        assertThat(verified.get("bytes").asLong()).isEqualTo(result.get("logBytes").asLong());
    }

    @Test
    void enumerateReadsAtMostMaxAndContinuesFromItsNextPosition() throws Exception {
        assertThat(client("batch-flood", "enum", "--batches", "3", "--batch-size", "100").code()).isZero();
        JsonNode first = client("enumerate", "enum", "--location", data().toString(), "--max", "120",
                "--batch", "50", "--json").json();
        assertThat(first.get("events").asLong()).isEqualTo(120);
        assertThat(first.get("lastVersion").asLong()).isEqualTo(120);
        long next = first.get("next").asLong();
        try (StoreReader reader = Storage.openReader(data().toString(), StoreId.of("enum"))) {
            EventBatch batch = reader.read(0, 120, 1 << 20);
            assertThat(batch.next()).isEqualTo(next);
        }
        JsonNode rest = client("enumerate", "enum", "--from", Long.toString(next), "--max", "1000", "--json").json();
        assertThat(rest.get("events").asLong()).isEqualTo(180);
        assertThat(rest.get("lastVersion").asLong()).isEqualTo(300);
        assertThat(rest.get("partial").asBoolean()).isFalse();
    }

    @Test
    void viewFloodWritesEveryViewAndReadersSeeNoTornDocument() throws Exception {
        Path views = dir.resolve("view-flood");
        Run flood = cli("client", "view-flood", "--views", views.toString(), "--repeat", "60", "--keys", "10",
                "--size", "200", "--readers", "2", "--quiet", "--json");
        assertThat(flood.code()).as(flood.out() + flood.err()).isZero();
        JsonNode result = flood.json();
        assertThat(result.get("writes").asLong()).isEqualTo(60);
        assertThat(result.get("readFailures").asLong()).isZero();
        assertThat(result.get("reads").asLong()).isGreaterThanOrEqualTo(0);
        try (ViewStore store = ViewStores.open(views.toString())) {
            JsonNode last = JSON.readTree(store.reader(ViewFloodCommand.CONTAINER).readBytes(ViewFloodCommand.key(3)));
            assertThat(last.get("seq").asLong()).isEqualTo(53); // writes 3, 13, ..., 53 went to key 3
            try (var keys = store.reader(ViewFloodCommand.CONTAINER).keys("")) {
                assertThat(keys.count()).isEqualTo(10);
            }
        }
    }

    @Test
    void pointerFloodCommitsTheCheckpointCountTimes() throws Exception {
        Path location = dir.resolve("pointer-flood-location");
        Run flood = cli("client", "pointer-flood", "--location", location.toString(), "--count", "40", "--quiet", "--json");
        assertThat(flood.code()).as(flood.out() + flood.err()).isZero();
        assertThat(flood.json().get("commits").asLong()).isEqualTo(40);
        assertThat(flood.json().get("checkpointMatches").asBoolean()).isTrue();
        Run again = cli("client", "pointer-flood", "--location", location.toString(), "--count", "5", "--quiet");
        assertThat(again.out()).startsWith("pointer-flood: 5 checkpoint commits").contains("read back matches");
        try (ViewStore store = ViewStores.open(location.resolve(".views").toString())) {
            Checkpoint checkpoint = store.reader(PointerFloodCommand.CONTAINER).readCheckpoint();
            assertThat(checkpoint.position()).isEqualTo(45);
        }
    }

    @Test
    void smartAppBenchCountersEqualTheEventsWrittenDirectlyAndOverHttp() throws Exception {
        Path views = dir.resolve("sabench-views");
        Run direct = client("smartapp-bench", "sabench", "--location", data().toString(), "--views", views.toString(),
                "--batches", "5", "--batch-size", "200", "--streams", "7", "--projections", "2", "--readers", "1", "--json");
        assertThat(direct.code()).as(direct.out() + direct.err()).isZero();
        JsonNode result = direct.json();
        assertThat(result.get("eventsWritten").asLong()).isEqualTo(1000);
        assertThat(result.get("eventsProjected").asLong()).isEqualTo(2000);
        assertThat(result.get("countersMatch").asBoolean()).isTrue();
        assertThat(result.get("viewReadFailures").asLong()).isZero();
        try (ViewStore store = ViewStores.open(views.toString())) {
            for (int p = 0; p < 2; p++) {
                var reader = store.reader(SmartAppBenchCommand.container(p));
                assertThat(reader.read(CounterProjection.TOTAL, CounterProjection.Counter.class).count()).isEqualTo(1000);
                // events 0..999 over 7 streams: stream 0 gets 0, 7, ..., 994
                assertThat(reader.read(CounterProjection.counterKey("sabench-0"), CounterProjection.Counter.class).count())
                        .isEqualTo(143);
            }
        }
        // a second run over HTTP resets the views and counts only its own events
        Run http = client("smartapp-bench", "sabench", "--views", views.toString(), "--batches", "3",
                "--batch-size", "100", "--projections", "1", "--readers", "1", "--json");
        assertThat(http.code()).as(http.out() + http.err()).isZero();
        assertThat(http.json().get("eventsProjected").asLong()).isEqualTo(300);
        assertThat(verify("sabench").get("events").asLong()).isEqualTo(1300);
    }

    @Test
    void verifyNamesTheChunkAndPositionOfAFlippedByte() throws Exception {
        List<AppendResult> appended = appendEvents("flipped", 20);
        long damaged = appended.get(10).position();
        try (RandomAccessFile chunk = new RandomAccessFile(chunk("flipped").toFile(), "rw")) {
            long at = damaged + 26 + "stream".length() + 3; // inside event 10's data
            chunk.seek(at);
            int value = chunk.read();
            chunk.seek(at);
            chunk.write(value ^ 0x10);
        }
        Run run = client("verify", "flipped", "--location", data().toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).contains("PROBLEM", "chunk " + CHUNK_0 + " at position " + damaged + ": checksum mismatch",
                "verified before it: 10 events");
        JsonNode json = client("verify", "flipped", "--location", data().toString(), "--json").json();
        assertThat(json.get("problemChunk").asText()).isEqualTo(CHUNK_0);
        assertThat(json.get("problemPosition").asLong()).isEqualTo(damaged);
        assertThat(json.get("exitCode").asInt()).isEqualTo(1);
    }

    @Test
    void verifyNamesTheChunkAndPositionWhereATruncatedChunkEnds() throws Exception {
        List<AppendResult> appended = appendEvents("truncated", 20);
        long cut = appended.get(15).position() + 10;
        try (RandomAccessFile chunk = new RandomAccessFile(chunk("truncated").toFile(), "rw")) {
            chunk.setLength(cut);
        }
        Run run = client("verify", "truncated", "--location", data().toString(), "--json");
        assertThat(run.code()).isEqualTo(1);
        JsonNode json = run.json();
        assertThat(json.get("problemChunk").asText()).isEqualTo(CHUNK_0);
        assertThat(json.get("problemPosition").asLong()).isEqualTo(cut);
        assertThat(json.get("problem").asText()).contains("ends before the commit pointer");
    }

    @Test
    void verifyOfAMissingStoreFailsAndOfACleanStoreSaysOk() throws Exception {
        assertThat(client("verify", "no-such-store", "--location", data().toString()).code()).isEqualTo(1);
        appendEvents("clean", 3);
        Run run = client("verify", "clean", "--location", data().toString());
        assertThat(run.code()).isZero();
        assertThat(run.out()).startsWith("verify: store 'clean' OK: 3 events,").contains("1 chunk, last version 3");
    }

    @Test
    void aStoppedWriteFloodReportsPartialResultsThatMatchTheStore() throws Exception {
        WriteFloodCommand flood = new WriteFloodCommand();
        flood.node = node.endpoint();
        flood.store = "stopped";
        flood.threads = 2;
        flood.count = 1_000_000;
        flood.size = 10;
        flood.stopAfter = 300; // trips the stop switch as Ctrl-C does
        CommandResult result = flood.executeWithin(StopSwitch.manual(), new PrintWriter(new StringWriter()), true);
        assertThat(result.partial()).isTrue();
        assertThat(result.line()).contains("partial");
        long events = (long) result.number("events");
        assertThat(events).isBetween(300L, 1_000_000L - 1);
        assertThat(verify("stopped").get("events").asLong()).isEqualTo(events);
    }

    @Test
    void bench1PrintsARowForEveryCommand() throws Exception {
        Run run = cli("client", "bench1", "--durability", "none", "--quiet", "--write-threads", "2", "--write-count", "40",
                "--batches", "4", "--batch-size", "50", "--view-repeat", "20", "--view-readers", "1",
                "--pointer-count", "20", "--sabench-batches", "3", "--sabench-batch-size", "50",
                "--sabench-projections", "2", "--sabench-readers", "1");
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("all ok", "| test", "WRFL write-flood", "WBFL batch-flood", "EN enumerate",
                "VRWFL view-flood", "EPFL pointer-flood", "SABENCH1 smartapp-bench", "verify",
                "40 events", "200 events, ", "counters match");
        assertThat(run.out().lines().filter(line -> line.startsWith("| verify"))).hasSize(3);
    }

    @Test
    void bench1JsonHoldsEveryResult() throws Exception {
        Run run = cli("client", "bench1", "--durability", "none", "--quiet", "--json", "--write-threads", "1",
                "--write-count", "10", "--batches", "1", "--batch-size", "10", "--view-repeat", "5", "--view-readers", "1",
                "--pointer-count", "5", "--sabench-batches", "1", "--sabench-batch-size", "10",
                "--sabench-projections", "1", "--sabench-readers", "1");
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        JsonNode results = run.json().get("results");
        assertThat(results).hasSize(9);
        assertThat(results.get(0).get("events").asLong()).isEqualTo(10);
        assertThat(results.get(2).get("events").asLong()).isEqualTo(10); // enumerate reads what batch-flood wrote
    }

    @Test
    void badOptionsExitWithCodeTwoAndAMessage() {
        Run run = client("write-flood", "Bad_Store", "--count", "1");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("invalid store id");
        assertThat(client("batch-flood", "ok-store", "--batch-size", "0").code()).isEqualTo(2);
        Run help = cli("client", "--help");
        assertThat(help.out()).contains("write-flood", "batch-flood", "enumerate", "view-flood", "pointer-flood",
                "smartapp-bench", "verify", "bench1");
    }

    @Test
    void errorsAreJsonWithJson() throws Exception {
        Run badStore = client("write-flood", "Bad_Store", "--count", "1", "--json");
        assertThat(badStore.code()).isEqualTo(2);
        JsonNode usage = badStore.json();
        assertThat(usage.get("exitCode").asInt()).isEqualTo(2);
        assertThat(usage.get("error").asText()).isEqualTo("usage");
        assertThat(usage.get("detail").asText()).contains("invalid store id 'Bad_Store'");
        Run missing = client("enumerate", "no-such-store", "--json");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.json().get("error").asText()).isEqualTo("failed");
        assertThat(missing.json().get("detail").asText()).contains("no-such-store");
    }

    @Test
    void writeFloodWithAppendsInFlightLeavesExactlyItsCountAndReportsTheClientsCpu() throws Exception {
        Run run = client("write-flood", "wf-in-flight", "--threads", "3", "--count", "3000", "--in-flight", "50", "--json");
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        JsonNode result = run.json();
        assertThat(result.get("events").asLong()).isEqualTo(3000);
        assertThat(result.get("clientCpuCores").asDouble()).isGreaterThan(0);
        assertThat(verify("wf-in-flight").get("events").asLong()).isEqualTo(3000);
    }

    private static List<AppendResult> appendEvents(String store, int count) {
        List<AppendResult> results = new ArrayList<>();
        try (PlatformClient client = PlatformClient.remote(node.endpoint(), StoreId.of(store))) {
            for (int i = 0; i < count; i++) {
                results.add(client.append("stream", ("event number " + i).getBytes()));
            }
        }
        return results;
    }

    private static Path chunk(String store) {
        return data().resolve(store).resolve("chunks").resolve(CHUNK_0);
    }

    @Test
    void verifyOfAStoreWrittenInANewerFormatNamesTheVersionAndChangesNothing() throws Exception {
        appendEvents("newer-format", 3);
        Path store = data().resolve("newer-format");
        // the node must not hold the store open while its pointer is rewritten behind it
        node.engine().reopen(io.dataplatform.store.StoreId.of("newer-format")).join();
        io.dataplatform.store.file.StoreFileDamage.setPointerFormatVersion(store, 2, true);
        var before = io.dataplatform.store.file.StoreFileDamage.snapshot(store);
        Run run = client("verify", "newer-format", "--location", data().toString(), "--json");
        assertThat(run.code()).isEqualTo(1);
        JsonNode json = run.json();
        assertThat(json.get("problemChunk").asText()).isEqualTo("commit.chk");
        assertThat(json.get("problem").asText()).contains("format version 2", "reads format version 1");
        assertThat(io.dataplatform.store.file.StoreFileDamage.snapshot(store)).isEqualTo(before);
    }
}
