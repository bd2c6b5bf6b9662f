package io.dataplatform.samples.continuous.projection;

import io.dataplatform.projections.ProjectionName;
import io.dataplatform.projections.ViewSession;
import io.dataplatform.samples.continuous.events.DumpEvent;
import io.dataplatform.samples.continuous.events.PostEvent;
import io.dataplatform.views.InvalidViewKeyException;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Sample 3's first projection: how many posts carry each tag. Views: {@code tag/<tag>} as
 * {@link TagCount}, {@code top} as {@link TagSummary} (the 100 largest, exact), plus
 * {@code status} and {@code import-cursor} ({@link DumpProjection}). A tag that is not a valid
 * view key ({@code .}, {@code ..}) is counted in the summary only. docs/samples.md shows the JSON.
 */
@ProjectionName(PostsByTag.NAME)
public final class PostsByTag extends DumpProjection {
    public static final String NAME = "posts-by-tag";
    public static final String TOP = "top";

    /** View {@code tag/<tag>}. */
    public static final class TagCount {
        public String tag;
        public long posts;
    }

    /** View {@code top}. */
    public static final class TagSummary {
        /** Posts that carry at least one tag. */
        public long taggedPosts;
        /** Distinct tags. */
        public long tags;
        /** Tags that cannot be view keys, counted here only. */
        public long unkeyedTags;
        /** The 100 tags with the most posts: key and label are the tag, count its posts. */
        public TopList top = new TopList();
    }

    private final Set<String> touched = new LinkedHashSet<>();

    @Override
    protected String name() {
        return NAME;
    }

    @Override
    protected boolean wants(String stream) {
        return stream.equals(PostEvent.STREAM);
    }

    @Override
    protected void batchStarting() {
        touched.clear();
    }

    @Override
    protected void apply(DumpEvent event, ViewSession views) {
        PostEvent post = (PostEvent) event;
        if (post.tags().isEmpty()) {
            return;
        }
        TagSummary summary = views.edit(TOP, TagSummary.class, TagSummary::new);
        summary.taggedPosts++;
        for (String tag : post.tags()) {
            String key = "tag/" + tag;
            TagCount count;
            try {
                if (!views.exists(key)) {
                    summary.tags++;
                }
                count = views.edit(key, TagCount.class, TagCount::new);
            } catch (InvalidViewKeyException e) {
                summary.unkeyedTags++;
                continue;
            }
            count.tag = tag;
            count.posts++;
            touched.add(key);
        }
    }

    @Override
    protected void batchApplied(ViewSession views) {
        if (touched.isEmpty()) {
            return;
        }
        TagSummary summary = views.edit(TOP, TagSummary.class, TagSummary::new);
        for (String key : touched) {
            TagCount count = views.read(key, TagCount.class);
            summary.top.offer(count.tag, count.tag, count.posts);
        }
    }
}
