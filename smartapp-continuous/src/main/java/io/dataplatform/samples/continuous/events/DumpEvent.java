package io.dataplatform.samples.continuous.events;

/**
 * One row of a StackExchange dump as an event of the {@code sample3} store: a user, a post or a
 * comment, with the row's attributes typed (ids as numbers, dates as epoch milliseconds UTC,
 * tags as a list). Optional attributes are null when the row leaves them out. Each type has its
 * own stream ({@link #stream()}); docs/samples.md describes the encoded form.
 */
public sealed interface DumpEvent permits UserEvent, PostEvent, CommentEvent {

    /** The row's {@code Id}. */
    long id();

    /** The stream events of this type are appended to: {@code users}, {@code posts} or {@code comments}. */
    String stream();
}
