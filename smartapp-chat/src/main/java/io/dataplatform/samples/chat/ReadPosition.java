package io.dataplatform.samples.chat;

import java.util.TreeSet;

/**
 * The view a chat client keeps (key {@code position/<store>} of its own container): the store
 * position up to which it has printed the others' messages, and who is in the chat as the
 * messages up to there say. A mutable Jackson bean.
 */
public final class ReadPosition {
    /** The store's position after the last event printed (or skipped as one's own). */
    public long position;
    /** Names that joined and have not left, as of {@link #position}. */
    public TreeSet<String> present = new TreeSet<>();
}
