package io.dataplatform.samples.continuous;

import io.dataplatform.client.PlatformClient;
import io.dataplatform.node.Node;
import io.dataplatform.samples.continuous.dump.DumpGenerator;
import io.dataplatform.samples.continuous.importer.BatchHeader;
import io.dataplatform.samples.continuous.importer.FileReport;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.Event;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DumpImportTest {
    @TempDir
    Path dir;

    @Test
    void projectionsOfAnImportedDumpGiveExactlyTheCountsOfItsXml() throws Exception {
        Path dump = dir.resolve("dump");
        new DumpGenerator(8_000, 42).writeTo(dump);
        DumpCounts expected = DumpCounts.of(dump);
        assertThat(expected.users + expected.posts + expected.comments).isGreaterThan(20_000);
        Path storage = dir.resolve("data");
        try (Node node = TestNode.start(storage)) {
            List<FileReport> reports = Sample3Run.importDump(storage, node.endpoint(), dump, 3_000);
            assertThat(reports).extracting(FileReport::file).containsExactly("Posts.xml", "Comments.xml", "Users.xml");
            assertThat(reports).extracting(FileReport::bad).containsOnly(0L);
            assertThat(reports).extracting(FileReport::events).containsExactly(expected.posts, expected.comments, expected.users);

            Path views = dir.resolve("views");
            Sample3Run.projectUntilCaughtUp(storage, node.endpoint(), views);
            Sample3Views.assertMatch(views, expected);

            CommitPointer head;
            try (PlatformClient client = PlatformClient.connect(storage.toString(), Sample3Run.STORE, node.endpoint())) {
                head = client.commitPointer();
            }
            List<FileReport> again = Sample3Run.importDump(storage, node.endpoint(), dump, 3_000);
            assertThat(again).allMatch(FileReport::alreadyDone);
            try (PlatformClient client = PlatformClient.connect(storage.toString(), Sample3Run.STORE, node.endpoint())) {
                assertThat(client.commitPointer()).as("a finished import writes nothing again").isEqualTo(head);
            }
        }
    }

    @Test
    void aBatchStoredTwiceIsCountedOnce() throws Exception {
        Path dump = dir.resolve("dump");
        new DumpGenerator(600, 3).writeTo(dump);
        DumpCounts expected = DumpCounts.of(dump);
        Path storage = dir.resolve("data");
        try (Node node = TestNode.start(storage)) {
            Sample3Run.importDump(storage, node.endpoint(), dump, 200);
            // what a client retry after a lost answer leaves: one batch of comments appended a second time
            try (PlatformClient client = PlatformClient.connect(storage.toString(), Sample3Run.STORE, node.endpoint());
                 StoreReader reader = client.reader()) {
                List<NewEvent> repeated = new ArrayList<>();
                for (Event event : client.events(0)) {
                    if (event.streamId().equals(BatchHeader.STREAM)) {
                        if (!repeated.isEmpty()) {
                            break;
                        }
                        BatchHeader header = BatchHeader.fromJson(event.data());
                        if (!header.file().equals("Comments.xml") || header.from() == 0) {
                            continue;
                        }
                    }
                    if (event.streamId().equals(BatchHeader.STREAM) || !repeated.isEmpty()) {
                        repeated.add(new NewEvent(event.streamId(), event.data()));
                    }
                }
                assertThat(repeated).hasSizeGreaterThan(1);
                client.append(repeated);
                assertThat(reader.commitPointer().position()).isPositive();
            }
            Path views = dir.resolve("views");
            Sample3Run.projectUntilCaughtUp(storage, node.endpoint(), views);
            Sample3Views.assertMatch(views, expected);
        }
    }
}
