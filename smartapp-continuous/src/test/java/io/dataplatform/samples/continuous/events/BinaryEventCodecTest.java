package io.dataplatform.samples.continuous.events;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BinaryEventCodecTest {

    private static DumpEvent roundTrip(EventCodec codec, DumpEvent event) {
        int length = codec.encode(event);
        return codec.decode(event.stream(), Arrays.copyOf(codec.array(), length));
    }

    @Test
    void everyKindSurvivesBothFormsWithAndWithoutOptionalAttributes() {
        String longText = "x".repeat(70_000) + "\uD83D\uDE00 é 中";
        List<DumpEvent> events = List.of(
                new UserEvent(-1, 1, 1_217_462_400_000L, "Community", 5L, "https://x", "on the server farm",
                        "<p>hi</p>", 649, 1, 2, -1L),
                new UserEvent(7, null, 0, null, null, null, null, null, null, null, null, null),
                new PostEvent(1, 1, 3L, null, 1_217_540_572_667L, 10, 500, longText, 1L, null, 2L, "ed", 6L, 7L,
                        "Generics in C#?", List.of("c#", ".net", "\uD83D\uDE00"), 1, 2, 3, 8L, 9L, "CC BY-SA 2.5"),
                new PostEvent(2, 99, null, null, -5, null, null, null, null, "gone", null, null, null, null, null,
                        List.of(), null, null, null, null, null, null),
                new CommentEvent(1, 1, 1, "Monday \uD83D\uDC4D", 1_217_844_000_000L, 1L, null, "CC BY-SA 2.5"),
                new CommentEvent(Long.MAX_VALUE, Long.MIN_VALUE, null, null, 0, null, "gone user", null));
        for (EventCodec codec : List.of(EventCodec.binary(), EventCodec.json())) {
            for (DumpEvent event : events) {
                assertThat(roundTrip(codec, event)).as(codec.getClass().getSimpleName()).isEqualTo(event);
            }
        }
    }

    @Test
    void anUnpairedSurrogateBecomesTheReplacementCharacter() {
        EventCodec codec = EventCodec.binary();
        CommentEvent broken = new CommentEvent(1, 1, null, "a\uD800b", 0, null, null, null);
        assertThat(((CommentEvent) roundTrip(codec, broken)).text()).isEqualTo("a\uFFFDb");
    }
}
