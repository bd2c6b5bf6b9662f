package io.dataplatform.samples.chat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Who counts as present, judged by the commit times of the messages read. */
class PresenceTest {

    @Test
    void aSilentParticipantDropsOutOnceTheWindowPassesAndALeaveCountsAtOnce() {
        ReadPosition state = new ReadPosition();
        state.apply(new ChatMessage(ChatMessage.JOIN, "alice", null), 1_000);
        state.apply(new ChatMessage(ChatMessage.JOIN, "bob", null), 1_100);
        state.apply(new ChatMessage(ChatMessage.JOIN, "carol", null), 1_200);
        assertThat(state.present(500)).containsExactly("alice", "bob", "carol");

        state.apply(new ChatMessage(ChatMessage.LEAVE, "carol", null), 1_300);
        assertThat(state.present(500)).as("a leave counts at once").containsExactly("alice", "bob");

        state.apply(new ChatMessage(ChatMessage.HERE, "alice", null), 1_600);
        assertThat(state.present(500)).as("bob seen 500 ms before the newest message").containsExactly("alice", "bob");
        state.apply(new ChatMessage(ChatMessage.LINE, "alice", "hi"), 1_601);
        assertThat(state.present(500)).as("bob silent for longer than the window").containsExactly("alice");

        state.apply(new ChatMessage(ChatMessage.HERE, "bob", null), 1_700);
        assertThat(state.present(500)).as("a heartbeat brings bob back").containsExactly("alice", "bob");
        assertThat(state.copy().present(500)).containsExactly("alice", "bob");
    }
}
