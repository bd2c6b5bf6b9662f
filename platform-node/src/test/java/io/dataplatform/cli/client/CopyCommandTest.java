package io.dataplatform.cli.client;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataplatform.cli.Main;
import io.dataplatform.store.AppendResult;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CommitPointerFormat;
import io.dataplatform.store.Durability;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreEngine;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.file.FileStorageEngine;
import io.dataplatform.testing.azurite.Azurite;
import io.dataplatform.testing.azurite.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code client copy} between files and blobs (Azurite): the copy is byte-identical (chunks, commit
 * pointer, incarnation), refuses damaged sources without committing anything, never overwrites a
 * store, and resumes when stopped half-way.
 */
@ExtendWith(AzuriteExtension.class)
class CopyCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StoreId STORE = StoreId.of("sales");
    /** Small chunks, so that a few hundred events make many of them; source stores are written without syncs (quick). */
    private static final EngineOptions SMALL_CHUNKS = EngineOptions.defaults().withChunkSize(4096)
            .withDurability(Durability.NONE);

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    static Run cli(CopyCommand command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        // with a command given, picocli fills that instance (one whose stop switch trips early, as Ctrl-C does)
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> type) throws Exception {
                return command != null && type == CopyCommand.class ? (K) command : defaults.create(type);
            }
        };
        CommandLine cli = new CommandLine(new Main(), factory);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Run copy(String from, String to, String... more) {
        List<String> args = new ArrayList<>(List.of("client", "copy", "--from", from, "--to", to, "--store",
                STORE.value(), "--json", "--quiet"));
        args.addAll(List.of(more));
        return cli(null, args.toArray(String[]::new));
    }

    /** Writes a store of single appends and atomic appends of several events over many small chunks. */
    static List<AppendResult> writeStore(Path root, int appends) throws Exception {
        List<AppendResult> results = new ArrayList<>();
        try (StoreEngine engine = new FileStorageEngine(root, SMALL_CHUNKS)) {
            for (int i = 0; i < appends; i++) {
                List<NewEvent> events = new ArrayList<>();
                for (int e = 0; e <= i % 4; e++) {
                    events.add(NewEvent.of("stream-" + (i % 7), "event " + i + "." + e + " " + "x".repeat((i * 13) % 90)));
                }
                results.add(engine.append(STORE, events).get(30, TimeUnit.SECONDS));
            }
        }
        return results;
    }

    /** Every file of a store by name relative to the store, with its bytes. */
    static Map<String, byte[]> files(Path store) throws IOException {
        Map<String, byte[]> found = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(store)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                found.put(store.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        }
        return found;
    }

    static CommitPointer pointerOf(byte[] commitChk) {
        return CommitPointerFormat.newest("store", CommitPointerFormat.NAME, ByteBuffer.wrap(commitChk)).orElseThrow();
    }

    static BlobContainerClient container(String container) {
        return new BlobServiceClientBuilder().connectionString(Azurite.shared().connectionString()).buildClient()
                .getBlobContainerClient(container);
    }

    /** Every blob of a store by name relative to the store, with its bytes. */
    static Map<String, byte[]> blobs(String container, StoreId store) {
        Map<String, byte[]> found = new TreeMap<>();
        BlobContainerClient client = container(container);
        if (!client.exists()) {
            return found;
        }
        for (BlobItem item : client.listBlobs(new ListBlobsOptions().setPrefix(store.value() + "/"), null)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            client.getBlobClient(item.getName()).downloadStream(bytes);
            found.put(item.getName().substring(store.value().length() + 1), bytes.toByteArray());
        }
        return found;
    }

    @Test
    void aStoreCopiedFromFilesToBlobsAndBackIsByteIdentical() throws Exception {
        Path original = dir.resolve("original");
        List<AppendResult> written = writeStore(original, 300);
        AppendResult last = written.get(written.size() - 1);
        Map<String, byte[]> before = files(original.resolve(STORE.value()));
        assertThat(before.keySet().stream().filter(name -> name.startsWith("chunks/")).count()).isGreaterThan(5);
        String container = Azurite.shared().uniqueContainer("copy");
        String blobLocation = Azurite.shared().location(container);

        Run toBlobs = copy(original.toString(), blobLocation);
        assertThat(toBlobs.code()).as(toBlobs.out() + toBlobs.err()).isZero();
        JsonNode result = toBlobs.json();
        assertThat(result.get("ok").asBoolean()).isTrue();
        assertThat(result.get("commitPosition").asLong()).isEqualTo(last.next());
        assertThat(result.get("commitVersion").asLong()).isEqualTo(last.version());
        assertThat(result.get("bytes").asLong()).isEqualTo(last.next());

        // on blobs: the same chunk names with the same bytes, the same incarnation, the same commit pointer
        Map<String, byte[]> onBlobs = blobs(container, STORE);
        assertThat(onBlobs.keySet()).isEqualTo(before.keySet());
        for (String name : before.keySet()) {
            if (name.equals(CommitPointerFormat.NAME)) {
                assertThat(pointerOf(onBlobs.get(name))).isEqualTo(pointerOf(before.get(name)))
                        .isEqualTo(new CommitPointer(last.next(), last.version()));
            } else {
                assertThat(onBlobs.get(name)).as(name).isEqualTo(before.get(name));
            }
        }

        Path back = dir.resolve("back");
        Run toFiles = copy(blobLocation, back.toString());
        assertThat(toFiles.code()).as(toFiles.out() + toFiles.err()).isZero();
        Map<String, byte[]> after = files(back.resolve(STORE.value()));
        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (String name : before.keySet()) {
            if (name.equals(CommitPointerFormat.NAME)) {
                assertThat(pointerOf(after.get(name))).isEqualTo(pointerOf(before.get(name)));
            } else {
                assertThat(after.get(name)).as(name).isEqualTo(before.get(name));
            }
        }
        // and the copy is a store the engine reads and continues
        try (StoreEngine engine = new FileStorageEngine(back, SMALL_CHUNKS)) {
            AppendResult next = engine.append(STORE, List.of(NewEvent.of("s", "after the copy"))).get(30, TimeUnit.SECONDS);
            assertThat(next.version()).isEqualTo(last.version() + 1);
            assertThat(next.position()).isEqualTo(last.next());
        }
    }

    @Test
    void aCorruptSourceRecordIsReportedWithItsPositionAndNothingIsCommittedAtTheTarget() throws Exception {
        Path original = dir.resolve("original");
        List<AppendResult> written = writeStore(original, 200);
        // damage one byte of event data in the middle of the store (a chunk other than the first)
        AppendResult damaged = written.get(120);
        Path chunks = original.resolve(STORE.value()).resolve("chunks");
        long chunkStart;
        try (Stream<Path> list = Files.list(chunks)) {
            chunkStart = list.map(p -> Long.parseLong(p.getFileName().toString().substring(0, 20)))
                    .filter(start -> start <= damaged.position()).max(Long::compare).orElseThrow();
        }
        assertThat(chunkStart).isPositive();
        String chunkName = String.format("%020d.dat", chunkStart);
        try (RandomAccessFile file = new RandomAccessFile(chunks.resolve(chunkName).toFile(), "rw")) {
            long at = damaged.position() - chunkStart + 30;
            file.seek(at);
            int b = file.read();
            file.seek(at);
            file.write(b ^ 0x20);
        }
        String container = Azurite.shared().uniqueContainer("corrupt");
        for (String target : List.of(Azurite.shared().location(container), dir.resolve("target").toString())) {
            Run run = copy(original.toString(), target);
            assertThat(run.code()).as(run.out()).isEqualTo(1);
            JsonNode result = run.json();
            assertThat(result.get("error").asText()).isEqualTo("corrupt");
            assertThat(result.get("problemPosition").asLong()).isEqualTo(damaged.position());
            assertThat(result.get("problemChunk").asText()).isEqualTo(chunkName);
            assertThat(result.get("summary").asText()).contains("position " + damaged.position());
        }
        assertThat(blobs(container, STORE)).isEmpty();
        assertThat(dir.resolve("target").resolve(STORE.value())).doesNotExist();
    }

    @Test
    void anExistingTargetStoreIsNeverOverwritten() throws Exception {
        Path original = dir.resolve("original");
        writeStore(original, 20);
        Path other = dir.resolve("other");
        writeStore(other, 5);
        Map<String, byte[]> before = files(other.resolve(STORE.value()));

        Run run = copy(original.toString(), other.toString());

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.json().get("error").asText()).isEqualTo("target_exists");
        assertThat(run.json().get("detail").asText()).contains("sales").contains("never overwrites");
        Map<String, byte[]> after = files(other.resolve(STORE.value()));
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
    }

    @Test
    void aCopyStoppedHalfWayLeavesACommittedPrefixAndResumesWhenRunAgain() throws Exception {
        Path original = dir.resolve("original");
        List<AppendResult> written = writeStore(original, 300);
        AppendResult last = written.get(written.size() - 1);
        String container = Azurite.shared().uniqueContainer("resume");
        String blobLocation = Azurite.shared().location(container);

        CopyCommand stopping = new CopyCommand();
        stopping.stopAfter = last.next() / 2;
        Run first = cli(stopping, "client", "copy", "--from", original.toString(), "--to", blobLocation, "--store",
                STORE.value(), "--json", "--quiet");
        assertThat(first.code()).as(first.out() + first.err()).isZero();
        assertThat(first.json().get("partial").asBoolean()).isTrue();
        long reached = first.json().get("reachedPosition").asLong();
        assertThat(reached).isPositive().isLessThan(last.next());
        CommitPointer prefix = pointerOf(blobs(container, STORE).get(CommitPointerFormat.NAME));
        assertThat(prefix.position()).isEqualTo(reached);

        Run second = copy(original.toString(), blobLocation);
        assertThat(second.code()).as(second.out()).isZero();
        assertThat(second.json().get("resumedFrom").asLong()).isEqualTo(reached);
        assertThat(second.json().get("bytes").asLong()).isEqualTo(last.next() - reached);

        Map<String, byte[]> before = files(original.resolve(STORE.value()));
        Map<String, byte[]> onBlobs = blobs(container, STORE);
        assertThat(onBlobs.keySet()).isEqualTo(before.keySet());
        for (String name : before.keySet()) {
            if (name.equals(CommitPointerFormat.NAME)) {
                assertThat(pointerOf(onBlobs.get(name))).isEqualTo(new CommitPointer(last.next(), last.version()));
            } else {
                assertThat(onBlobs.get(name)).as(name).isEqualTo(before.get(name));
            }
        }
        // a third run finds nothing left to copy
        Run third = copy(original.toString(), blobLocation);
        assertThat(third.code()).isZero();
        assertThat(third.json().get("events").asLong()).isZero();
    }

    @Test
    void badOptionsAreRefusedAsJsonLikeEveryClientCommand() throws Exception {
        Run run = cli(null, "client", "copy", "--from", dir.toString(), "--to", dir.resolve("b").toString(),
                "--store", "Bad_Store", "--json", "--quiet");

        assertThat(run.code()).isEqualTo(2);
        JsonNode result = run.json();
        assertThat(result.get("error").asText()).isEqualTo("usage");
        assertThat(result.get("detail").asText()).contains("--store").contains("Bad_Store");
    }
}
