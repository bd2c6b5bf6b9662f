package io.dataplatform.samples.continuous.events;

/**
 * A row of {@code Comments.xml}. Required: id, post id and creation date. A deleted author has
 * no user id, only (sometimes) a display name.
 */
public record CommentEvent(long id, long postId, Integer score, String text, long creationDate, Long userId,
        String userDisplayName, String contentLicense) implements DumpEvent {

    public static final String STREAM = "comments";

    @Override
    public String stream() {
        return STREAM;
    }
}
