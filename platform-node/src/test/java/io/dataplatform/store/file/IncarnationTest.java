package io.dataplatform.store.file;

import io.dataplatform.store.Storage;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import io.dataplatform.store.StoreRecreatedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.dataplatform.store.file.EngineFixture.append;
import static io.dataplatform.store.file.EngineFixture.await;
import static io.dataplatform.store.file.EngineFixture.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Store incarnations: created with the store, kept across opens, new after delete and create, checked by readers. */
class IncarnationTest {

    private static final StoreId STORE = StoreId.of("lives");

    @TempDir
    Path root;

    private Path incarnationFile() {
        return root.resolve(STORE.value()).resolve(IncarnationFile.NAME);
    }

    @Test
    void aStoreGetsAnIncarnationWhenCreatedAndKeepsItAcrossOpens() throws IOException {
        String first;
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            append(engine, STORE.value(), "s", "one");
            try (StoreReader reader = engine.openReader(STORE)) {
                first = reader.incarnation();
            }
            assertThat(engine.stats(STORE).orElseThrow().incarnation()).isEqualTo(first);
        }
        assertThat(first).matches("[0-9a-f]{32}");
        assertThat(Files.readString(incarnationFile())).isEqualTo(first + "\n");
        try (FileStorageEngine engine = EngineFixture.open(root); StoreReader reader = engine.openReader(STORE, first)) {
            assertThat(reader.incarnation()).isEqualTo(first);
            assertThat(readAll(reader)).hasSize(1);
        }
        try (StoreReader direct = Storage.openReader(root.toString(), STORE, first)) {
            assertThat(direct.incarnation()).isEqualTo(first);
        }
    }

    @Test
    void aStoreDeletedAndCreatedAgainHasANewIncarnationAndRefusesTheOld() {
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            append(engine, STORE.value(), "s", "old life");
            String old = engine.stats(STORE).orElseThrow().incarnation();
            StoreReader following = Storage.openReader(root.toString(), STORE);
            assertThat(following.incarnation()).isEqualTo(old);

            assertThat(await(engine.delete(STORE))).isTrue();
            append(engine, STORE.value(), "s", "new life");
            String now = engine.stats(STORE).orElseThrow().incarnation();
            assertThat(now).isNotEqualTo(old).matches("[0-9a-f]{32}");

            assertThatThrownBy(() -> engine.openReader(STORE, old))
                    .isInstanceOfSatisfying(StoreRecreatedException.class, e -> {
                        assertThat(e.expected()).isEqualTo(old);
                        assertThat(e.actual()).isEqualTo(now);
                    })
                    .hasMessageContaining("store 'lives' has incarnation " + now + ", not " + old);
            assertThatThrownBy(() -> Storage.openReader(root.toString(), STORE, old))
                    .isInstanceOf(StoreRecreatedException.class);
            // a reader opened on the old store refuses to read the new one as if it were the same log
            assertThatThrownBy(() -> following.read(0)).isInstanceOfSatisfying(StoreRecreatedException.class,
                    e -> assertThat(e.actual()).isEqualTo(now));
            following.close();
            try (StoreReader reader = engine.openReader(STORE, now)) {
                assertThat(readAll(reader)).extracting(e -> e.dataAsString()).containsExactly("new life");
            }
        }
    }

    @Test
    void aStoreWrittenBeforeIncarnationsGetsOneOnItsFirstOpenByTheWriter() throws IOException {
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            append(engine, STORE.value(), "s", "from an older release");
        }
        Files.delete(incarnationFile());
        try (StoreReader outside = Storage.openReader(root.toString(), STORE)) {
            assertThat(outside.incarnation()).isNull();
            assertThat(readAll(outside)).hasSize(1);
            String given;
            try (FileStorageEngine engine = EngineFixture.open(root); StoreReader reader = engine.openReader(STORE)) {
                given = reader.incarnation();
                assertThat(given).matches("[0-9a-f]{32}");
                assertThat(readAll(reader)).hasSize(1);
            }
            assertThat(Files.readString(incarnationFile())).isEqualTo(given + "\n");
            // the reader outside adopts the first incarnation the store gets, and keeps it
            assertThat(readAll(outside)).hasSize(1);
            assertThat(outside.incarnation()).isEqualTo(given);
        }
    }

    @Test
    void aDamagedIncarnationFileRefusesTheStoreAndIsNotReplaced() throws IOException {
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            append(engine, STORE.value(), "s", "x");
        }
        Files.writeString(incarnationFile(), "not an incarnation\n");
        try (FileStorageEngine engine = EngineFixture.open(root)) {
            assertThatThrownBy(() -> engine.openReader(STORE)).hasMessageContaining("incarnation file");
            assertThat(engine.damagedStores()).containsKey(STORE);
        }
        assertThat(Files.readString(incarnationFile())).isEqualTo("not an incarnation\n");
    }
}
