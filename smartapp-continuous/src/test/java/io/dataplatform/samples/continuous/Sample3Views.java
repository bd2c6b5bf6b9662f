package io.dataplatform.samples.continuous;

import io.dataplatform.samples.continuous.projection.CommentsByUser;
import io.dataplatform.samples.continuous.projection.CommentsByWeekday;
import io.dataplatform.samples.continuous.projection.PostsByTag;
import io.dataplatform.samples.continuous.projection.TopList;
import io.dataplatform.views.ViewReader;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks the sample-3 views of a view location against counts computed from the dump's XML. */
public final class Sample3Views {
    private Sample3Views() {
    }

    public static void assertMatch(Path views, DumpCounts expected) {
        try (ViewStore store = ViewStores.open(views.toString())) {
            ViewReader tags = store.reader(PostsByTag.NAME);
            for (Map.Entry<String, Long> tag : expected.postsByTag.entrySet()) {
                PostsByTag.TagCount count = tags.read("tag/" + tag.getKey(), PostsByTag.TagCount.class);
                assertThat(count).as("view tag/%s", tag.getKey()).isNotNull();
                assertThat(count.posts).as("posts tagged %s", tag.getKey()).isEqualTo(tag.getValue());
            }
            PostsByTag.TagSummary tagSummary = tags.read(PostsByTag.TOP, PostsByTag.TagSummary.class);
            assertThat(tagSummary.tags).isEqualTo(expected.postsByTag.size());
            assertThat(labels(tagSummary.top)).isEqualTo(top(expected.postsByTag.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue())).toList(), tagSummary.top.size));

            ViewReader users = store.reader(CommentsByUser.NAME);
            for (Map.Entry<Long, Long> user : expected.commentsByUser.entrySet()) {
                CommentsByUser.UserComments view = users.read("user/" + user.getKey(), CommentsByUser.UserComments.class);
                assertThat(view).as("view user/%d", user.getKey()).isNotNull();
                assertThat(view.comments).as("comments of user %d", user.getKey()).isEqualTo(user.getValue());
                assertThat(view.name).as("name of user %d", user.getKey()).isEqualTo(expected.names.get(user.getKey()));
            }
            CommentsByUser.CommenterSummary userSummary = users.read(CommentsByUser.TOP, CommentsByUser.CommenterSummary.class);
            assertThat(userSummary.comments).isEqualTo(expected.comments);
            assertThat(userSummary.anonymousComments).isEqualTo(expected.anonymousComments);
            assertThat(userSummary.commenters).isEqualTo(expected.commentsByUser.size());
            assertThat(labels(userSummary.top)).isEqualTo(top(expected.commentsByUser.entrySet().stream()
                    .map(e -> Map.entry(String.valueOf(e.getKey()), e.getValue())).toList(), userSummary.top.size));

            ViewReader weekdays = store.reader(CommentsByWeekday.NAME);
            long[] all = new long[7];
            for (Map.Entry<Long, long[]> user : expected.weekdaysByUser.entrySet()) {
                CommentsByWeekday.UserWeek view = weekdays.read("user/" + user.getKey(), CommentsByWeekday.UserWeek.class);
                assertThat(view).as("view user/%d", user.getKey()).isNotNull();
                assertThat(view.days).as("days of user %d", user.getKey()).containsExactly(user.getValue());
                for (int d = 0; d < 7; d++) {
                    all[d] += user.getValue()[d];
                }
            }
            assertThat(weekdays.read(CommentsByWeekday.ALL, CommentsByWeekday.UserWeek.class).days).containsExactly(all);
        }
    }

    private static List<String> labels(TopList top) {
        return top.entries.stream().map(e -> e.key + "=" + e.count).toList();
    }

    private static List<String> top(List<Map.Entry<String, Long>> counts, int size) {
        return counts.stream()
                .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(e -> -e.getValue()).thenComparing(Map.Entry::getKey))
                .limit(size).map(e -> e.getKey() + "=" + e.getValue()).toList();
    }
}
