package io.dataplatform.samples.continuous.projection;

import io.dataplatform.projections.ProjectionName;
import io.dataplatform.projections.ViewSession;
import io.dataplatform.samples.continuous.dump.DumpDates;
import io.dataplatform.samples.continuous.events.CommentEvent;
import io.dataplatform.samples.continuous.events.DumpEvent;
import io.dataplatform.samples.continuous.events.UserEvent;

/**
 * Sample 3's third projection: each user's comments by day of week (of the comment's
 * {@code CreationDate}, UTC), the original's sparklines. Views: {@code user/<id>} as
 * {@link UserWeek} (one per user of {@code Users.xml}, and per commenter missing from it),
 * {@code all} as {@link UserWeek} for every comment with a user id (user id 0, no name), plus
 * {@code status} and {@code import-cursor}. Names as in {@link CommentsByUser}.
 */
@ProjectionName(CommentsByWeekday.NAME)
public final class CommentsByWeekday extends DumpProjection {
    public static final String NAME = "comments-by-weekday";
    public static final String ALL = "all";

    /** View {@code user/<id>} and {@code all}: {@code days[0]} is Monday, {@code days[6]} Sunday. */
    public static final class UserWeek {
        public long userId;
        public String name;
        public long[] days = new long[7];
    }

    @Override
    protected String name() {
        return NAME;
    }

    @Override
    protected boolean wants(String stream) {
        return stream.equals(UserEvent.STREAM) || stream.equals(CommentEvent.STREAM);
    }

    @Override
    protected void apply(DumpEvent event, ViewSession views) {
        if (event instanceof UserEvent user) {
            UserWeek week = views.edit("user/" + user.id(), UserWeek.class, UserWeek::new);
            week.userId = user.id();
            if (user.displayName() != null) {
                week.name = user.displayName();
            }
            return;
        }
        CommentEvent comment = (CommentEvent) event;
        if (comment.userId() == null) {
            return;
        }
        int day = DumpDates.dayOfWeek(comment.creationDate());
        views.edit(ALL, UserWeek.class, UserWeek::new).days[day]++;
        UserWeek week = views.edit("user/" + comment.userId(), UserWeek.class, UserWeek::new);
        week.userId = comment.userId();
        if (week.name == null) {
            week.name = comment.userDisplayName();
        }
        week.days[day]++;
    }
}
