package io.dataplatform.store.file;

import io.dataplatform.store.Durability;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ManyStoresTest {

    @TempDir
    Path root;

    @Test
    void tenThousandStoresKeepThreadsAndOpenFilesUnderTheirBounds() throws IOException {
        int stores = 10_000;
        int writerThreads = 4;
        int maxOpenStores = 64;
        EngineOptions options = EngineOptions.defaults().withDurability(Durability.NONE).withChunkSize(64 * 1024)
                .withWriterThreads(writerThreads).withMaxOpenStores(maxOpenStores);
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long filesBefore = openFiles();
        int maxThreads = 0;
        long maxFiles = 0;
        try (FileStorageEngine engine = new FileStorageEngine(root, options)) {
            for (int round = 0; round < 2; round++) {
                List<CompletableFuture<?>> pending = new ArrayList<>();
                // the second round goes back to stores whose files were closed long ago
                for (int i = 0; i < (round == 0 ? stores : stores / 10); i++) {
                    pending.add(engine.append(StoreId.of(String.format("tenant-%05d", i)),
                            List.of(NewEvent.of("s", "round " + round))));
                    if (pending.size() == 500) {
                        CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).join();
                        pending.clear();
                        maxThreads = Math.max(maxThreads, ManagementFactory.getThreadMXBean().getThreadCount());
                        maxFiles = Math.max(maxFiles, openFiles());
                    }
                }
                CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).join();
            }
            assertThat(engine.list()).hasSize(stores);
            assertThat(engine.stats(StoreId.of("tenant-00999")).orElseThrow().lastVersion()).isEqualTo(2);
            assertThat(engine.stats(StoreId.of("tenant-09999")).orElseThrow().lastVersion()).isEqualTo(1);
            assertThat(engine.openStores()).isLessThanOrEqualTo(maxOpenStores + writerThreads);
        }
        // each open store holds two files (last chunk, commit pointer); a busy one may be skipped per writer thread
        assertThat(maxFiles - filesBefore).isLessThanOrEqualTo(2L * (maxOpenStores + writerThreads) + 16);
        assertThat(maxThreads - threadsBefore).isLessThanOrEqualTo(writerThreads + 2);
    }

    private static long openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
