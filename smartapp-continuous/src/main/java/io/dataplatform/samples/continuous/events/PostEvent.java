package io.dataplatform.samples.continuous.events;

import java.util.List;
import java.util.Objects;

/**
 * A row of {@code Posts.xml}: a question ({@code postTypeId} 1), an answer (2) or any other post
 * type the dump holds (kept as it is). Required: id, post type and creation date. Tags are parsed
 * from either form of the dumps ({@code <a><b>} or {@code |a|b|}); empty when the row has none.
 */
public record PostEvent(long id, int postTypeId, Long acceptedAnswerId, Long parentId, long creationDate,
        Integer score, Integer viewCount, String body, Long ownerUserId, String ownerDisplayName,
        Long lastEditorUserId, String lastEditorDisplayName, Long lastEditDate, Long lastActivityDate, String title,
        List<String> tags, Integer answerCount, Integer commentCount, Integer favoriteCount, Long closedDate,
        Long communityOwnedDate, String contentLicense) implements DumpEvent {

    public static final String STREAM = "posts";
    public static final int QUESTION = 1;
    public static final int ANSWER = 2;

    public PostEvent {
        tags = List.copyOf(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public String stream() {
        return STREAM;
    }
}
