package io.dataplatform.samples.continuous.events;

/** A row of {@code Users.xml}. Required: id and creation date; everything else may be null. */
public record UserEvent(long id, Integer reputation, long creationDate, String displayName, Long lastAccessDate,
        String websiteUrl, String location, String aboutMe, Integer views, Integer upVotes, Integer downVotes,
        Long accountId) implements DumpEvent {

    public static final String STREAM = "users";

    @Override
    public String stream() {
        return STREAM;
    }
}
