package io.dataplatform.samples.continuous;

import io.dataplatform.node.Node;
import io.dataplatform.samples.continuous.importer.FileReport;
import io.dataplatform.samples.continuous.projection.CommentsByUser;
import io.dataplatform.samples.continuous.projection.CommentsByWeekday;
import io.dataplatform.samples.continuous.projection.PostsByTag;
import io.dataplatform.views.ViewReader;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written fixture {@code src/test/resources/messy-dump}: a byte-order mark, missing
 * optional attributes, a date without milliseconds and one with one digit, an impossible date, a
 * row without an id, deleted users, a user missing from Users.xml, unknown post types, characters
 * outside the BMP, both tag forms, a bad number, and a line of broken XML.
 */
class MessyDumpTest {
    @TempDir
    Path dir;

    @Test
    void badRowsAreCountedAndSkippedAndEveryGoodRowIsImported() throws Exception {
        Path dump = dir.resolve("messy");
        Files.createDirectories(dump);
        for (String file : List.of("Users.xml", "Posts.xml", "Comments.xml")) {
            try (var in = MessyDumpTest.class.getResourceAsStream("/messy-dump/" + file)) {
                Files.copy(in, dump.resolve(file));
            }
        }
        Path storage = dir.resolve("data");
        Path views = dir.resolve("views");
        try (Node node = TestNode.start(storage)) {
            List<FileReport> reports = Sample3Run.importDump(storage, node.endpoint(), dump, 3);
            // Posts.xml, Comments.xml, Users.xml
            assertThat(reports).extracting(FileReport::rows).containsExactly(10L, 7L, 6L);
            assertThat(reports).extracting(FileReport::events).containsExactly(7L, 5L, 4L);
            assertThat(reports).extracting(FileReport::bad).containsExactly(3L, 2L, 2L);
            assertThat(reports.get(2).reasons()).anySatisfy(r -> assertThat(r).contains("row 4").contains("CreationDate"))
                    .anySatisfy(r -> assertThat(r).contains("row 5").contains("missing attribute Id"));
            assertThat(reports.get(0).reasons()).anySatisfy(r -> assertThat(r).contains("row 8").contains("unreadable XML"));
            Sample3Run.projectUntilCaughtUp(storage, node.endpoint(), views);
        }
        try (ViewStore store = ViewStores.open(views.toString())) {
            ViewReader tags = store.reader(PostsByTag.NAME);
            assertThat(tags.read("tag/java", PostsByTag.TagCount.class).posts).isEqualTo(3);
            assertThat(tags.read("tag/c#", PostsByTag.TagCount.class).posts).isEqualTo(2);
            assertThat(tags.read("tag/.net", PostsByTag.TagCount.class).posts).isEqualTo(1);
            assertThat(tags.read("tag/generics", PostsByTag.TagCount.class).posts).isEqualTo(1);
            PostsByTag.TagSummary summary = tags.read(PostsByTag.TOP, PostsByTag.TagSummary.class);
            assertThat(summary.taggedPosts).isEqualTo(4);
            assertThat(summary.tags).isEqualTo(4);

            ViewReader users = store.reader(CommentsByUser.NAME);
            CommentsByUser.UserComments jeff = users.read("user/1", CommentsByUser.UserComments.class);
            assertThat(jeff.name).isEqualTo("Jeff Atwood");
            assertThat(jeff.comments).isEqualTo(2);
            assertThat(users.read("user/77", CommentsByUser.UserComments.class).name).isEqualTo("ghost");
            assertThat(users.read("user/-1", CommentsByUser.UserComments.class).comments).isEqualTo(1);
            assertThat(users.read("user/2", CommentsByUser.UserComments.class).name).isEqualTo("Zo\u00eb \uD83D\uDE00 Smith");
            CommentsByUser.CommenterSummary commenters = users.read(CommentsByUser.TOP, CommentsByUser.CommenterSummary.class);
            assertThat(commenters.comments).isEqualTo(5);
            assertThat(commenters.anonymousComments).isEqualTo(1);
            assertThat(commenters.commenters).isEqualTo(3);

            ViewReader weekdays = store.reader(CommentsByWeekday.NAME);
            assertThat(weekdays.read("user/1", CommentsByWeekday.UserWeek.class).days).containsExactly(1, 1, 0, 0, 0, 0, 0);
            assertThat(weekdays.read("user/77", CommentsByWeekday.UserWeek.class).days).containsExactly(0, 0, 0, 0, 0, 0, 1);
            assertThat(weekdays.read(CommentsByWeekday.ALL, CommentsByWeekday.UserWeek.class).days)
                    .containsExactly(1, 1, 0, 0, 0, 1, 1);
        }
    }
}
