package io.dataplatform.samples.continuous;

import io.dataplatform.node.Node;
import io.dataplatform.samples.continuous.dump.DumpGenerator;
import io.dataplatform.samples.continuous.importer.ImportLog;
import io.dataplatform.samples.continuous.projection.CommentsByUser;
import io.dataplatform.samples.continuous.projection.ProcessingInfo;
import io.dataplatform.store.Storage;
import io.dataplatform.store.StoreException;
import io.dataplatform.store.StoreReader;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The importer and the projections killed with {@code kill -9} halfway, then restarted: the counts are still exact. */
class KillNineTest {
    @TempDir
    Path dir;

    @Test
    void importAndProjectionsKilledHalfwayAndRestartedStillCountExactly() throws Exception {
        Path dump = dir.resolve("dump");
        new DumpGenerator(6_000, 9).writeTo(dump);
        DumpCounts expected = DumpCounts.of(dump);
        Path storage = dir.resolve("data");
        Path views = dir.resolve("views");
        try (Node node = TestNode.start(storage)) {
            String endpoint = node.endpoint().toString();
            Process importer = ChildJvm.start(dir.resolve("import.log"), "import", "--dump", dump.toString(),
                    "--node", endpoint, "--location", storage.toString(), "--batch-rows", "250");
            Await.until("the import is a third through", Duration.ofMinutes(3),
                    () -> version(storage) > (expected.users + expected.posts + expected.comments) / 3);
            importer.destroyForcibly().waitFor();
            assertThat(importDone(storage)).as("killed before the end; log: %s", log(dir.resolve("import.log"))).isFalse();

            Sample3Run.importDump(storage, node.endpoint(), dump, 250);
            assertThat(importDone(storage)).isTrue();

            long head = position(storage);
            Process projections = ChildJvm.start(dir.resolve("sample3.log"), "sample3", "--node", endpoint,
                    "--location", storage.toString(), "--views", views.toString(), "--batch-events", "100");
            Await.until("the projections have started", Duration.ofMinutes(3), () -> applied(views) > 0);
            projections.destroyForcibly().waitFor();
            assertThat(checkpoint(views)).as("killed before the end; log: %s", log(dir.resolve("sample3.log")))
                    .isLessThan(head);

            Sample3Run.projectUntilCaughtUp(storage, node.endpoint(), views);
        }
        Sample3Views.assertMatch(views, expected);
    }

    private static long version(Path storage) {
        try (StoreReader reader = Storage.openReader(storage.toString(), Sample3Run.STORE)) {
            return reader.commitPointer().version();
        } catch (StoreException e) {
            return 0; // not created yet, or being created (no commit pointer yet)
        }
    }

    private static long position(Path storage) {
        try (StoreReader reader = Storage.openReader(storage.toString(), Sample3Run.STORE)) {
            return reader.commitPointer().position();
        }
    }

    private static boolean importDone(Path storage) {
        try (StoreReader reader = Storage.openReader(storage.toString(), Sample3Run.STORE)) {
            var last = ImportLog.scan(reader, 0).last("Comments.xml");
            return last != null && last.done();
        }
    }

    /** The comments-by-user projection's position, read as another process reads views. */
    private static long applied(Path views) {
        if (!Files.isDirectory(views)) {
            return 0;
        }
        try (ViewStore store = ViewStores.open(views.toString())) {
            ProcessingInfo info = store.reader(CommentsByUser.NAME).read(ProcessingInfo.KEY, ProcessingInfo.class);
            return info == null ? 0 : info.position;
        }
    }

    /** The comments-by-user checkpoint, once a writer has finished what the killed one left in its journal. */
    private static long checkpoint(Path views) {
        try (ViewStore store = ViewStores.open(views.toString())) {
            var checkpoint = store.container(CommentsByUser.NAME).readCheckpoint();
            return checkpoint == null ? 0 : checkpoint.position();
        }
    }

    private static String log(Path file) {
        try {
            return Files.readString(file);
        } catch (Exception e) {
            return e.toString();
        }
    }
}
