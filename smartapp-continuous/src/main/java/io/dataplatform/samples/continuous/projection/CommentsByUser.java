package io.dataplatform.samples.continuous.projection;

import io.dataplatform.projections.ProjectionName;
import io.dataplatform.projections.ViewSession;
import io.dataplatform.samples.continuous.events.CommentEvent;
import io.dataplatform.samples.continuous.events.DumpEvent;
import io.dataplatform.samples.continuous.events.UserEvent;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Sample 3's second projection: how many comments each user wrote, with the user's name. Views:
 * {@code user/<id>} as {@link UserComments} (one per user of {@code Users.xml}, and per commenter
 * missing from it), {@code top} as {@link CommenterSummary} (the 100 users with the most comments,
 * exact), plus {@code status} and {@code import-cursor}. The name is the user's
 * {@code DisplayName}, or for a user missing from {@code Users.xml} the comment's
 * {@code UserDisplayName}. Comments without a user id (deleted users) count in the summary only.
 */
@ProjectionName(CommentsByUser.NAME)
public final class CommentsByUser extends DumpProjection {
    public static final String NAME = "comments-by-user";
    public static final String TOP = "top";

    /** View {@code user/<id>}. */
    public static final class UserComments {
        public long userId;
        public String name;
        public long comments;
    }

    /** View {@code top}. */
    public static final class CommenterSummary {
        public long comments;
        /** Comments without a user id. */
        public long anonymousComments;
        /** Users with at least one comment. */
        public long commenters;
        /** key: user id; label: name; count: comments. */
        public TopList top = new TopList();
    }

    private final Set<String> touched = new LinkedHashSet<>();

    @Override
    protected String name() {
        return NAME;
    }

    @Override
    protected boolean wants(String stream) {
        return stream.equals(UserEvent.STREAM) || stream.equals(CommentEvent.STREAM);
    }

    @Override
    protected void batchStarting() {
        touched.clear();
    }

    @Override
    protected void apply(DumpEvent event, ViewSession views) {
        if (event instanceof UserEvent user) {
            String key = "user/" + user.id();
            UserComments view = views.edit(key, UserComments.class, UserComments::new);
            view.userId = user.id();
            if (user.displayName() != null) {
                view.name = user.displayName();
                if (view.comments > 0) {
                    touched.add(key);
                }
            }
            return;
        }
        CommentEvent comment = (CommentEvent) event;
        CommenterSummary summary = views.edit(TOP, CommenterSummary.class, CommenterSummary::new);
        summary.comments++;
        if (comment.userId() == null) {
            summary.anonymousComments++;
            return;
        }
        String key = "user/" + comment.userId();
        UserComments view = views.edit(key, UserComments.class, UserComments::new);
        view.userId = comment.userId();
        if (view.name == null) {
            view.name = comment.userDisplayName();
        }
        if (view.comments++ == 0) {
            summary.commenters++;
        }
        touched.add(key);
    }

    @Override
    protected void batchApplied(ViewSession views) {
        if (touched.isEmpty()) {
            return;
        }
        CommenterSummary summary = views.edit(TOP, CommenterSummary.class, CommenterSummary::new);
        for (String key : touched) {
            UserComments view = views.read(key, UserComments.class);
            summary.top.offer(String.valueOf(view.userId), view.name, view.comments);
        }
    }
}
