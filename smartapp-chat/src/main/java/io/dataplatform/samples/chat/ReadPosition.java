package io.dataplatform.samples.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The view a chat client keeps (key {@code position/<store>} of its own container): the store
 * position up to which it has printed the others' messages, and who is in the chat as the
 * messages up to there say: who joined and has not left, and when each was last seen (the commit
 * time of their last join, line or heartbeat, in the node's clock). A mutable Jackson bean.
 */
public final class ReadPosition {
    /** The store's position after the last event printed (or skipped as one's own). */
    public long position;
    /** Names that joined and have not left, as of {@link #position}. */
    public TreeSet<String> present = new TreeSet<>();
    /** When each name of {@link #present} was last seen: commit time (epoch ms) of its last message. */
    public TreeMap<String, Long> lastSeen = new TreeMap<>();
    /** Commit time (epoch ms) of the newest message read: the clock presence is judged by. */
    public long latest;

    /** Takes a message committed at {@code timestamp} into account. */
    void apply(ChatMessage message, long timestamp) {
        latest = Math.max(latest, timestamp);
        switch (message.type()) {
            case ChatMessage.LEAVE -> {
                present.remove(message.name());
                lastSeen.remove(message.name());
            }
            case ChatMessage.JOIN, ChatMessage.LINE, ChatMessage.HERE -> {
                present.add(message.name());
                lastSeen.merge(message.name(), timestamp, Math::max);
            }
            default -> { }
        }
    }

    /**
     * Who joined, has not left, and was seen within {@code windowMillis} of the newest message
     * read (a client killed without leaving drops out once its heartbeats stop), sorted by name.
     */
    List<String> present(long windowMillis) {
        List<String> names = new ArrayList<>();
        for (String name : present) {
            Long seen = lastSeen.get(name);
            if (seen != null && seen >= latest - windowMillis) {
                names.add(name);
            }
        }
        return names;
    }

    ReadPosition copy() {
        ReadPosition copy = new ReadPosition();
        copy.position = position;
        copy.present.addAll(present);
        copy.lastSeen.putAll(lastSeen);
        copy.latest = latest;
        return copy;
    }
}
