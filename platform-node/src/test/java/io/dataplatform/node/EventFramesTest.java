package io.dataplatform.node;

import io.dataplatform.store.NewEvent;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventFramesTest {

    private static void frame(Buffer body, String stream, String data) {
        byte[] id = stream.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        body.appendByte((byte) id.length).appendBytes(id).appendUnsignedInt(bytes.length).appendBytes(bytes);
    }

    @Test
    void repeatedAndAlternatingStreamIdsDecodeToTheirOwnEvents() {
        Buffer body = Buffer.buffer();
        String[] streams = {"a", "a", "ab", "b", "b", "a", "é", "é", "ab"};
        for (int i = 0; i < streams.length; i++) {
            frame(body, streams[i], "data-" + i);
        }
        List<NewEvent> events = EventFrames.decodeFrames(body.getBytes(), 1000, 1 << 20, 100);
        assertThat(events).extracting(NewEvent::streamId).containsExactly(streams);
        for (int i = 0; i < streams.length; i++) {
            assertThat(new String(events.get(i).data(), StandardCharsets.UTF_8)).isEqualTo("data-" + i);
            assertThat(events.get(i).streamIdBytes()).isEqualTo(streams[i].getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void decodingStopsAtTheFirstEventOverTheLimitAndBlankLinesDoNotCount() {
        Buffer body = Buffer.buffer();
        for (int i = 0; i < 3; i++) {
            frame(body, "s", "e" + i);
        }
        assertThat(EventFrames.decodeFrames(body.getBytes(), 1000, 1 << 20, 3)).hasSize(3);
        assertThatThrownBy(() -> EventFrames.decodeFrames(body.getBytes(), 1000, 1 << 20, 2))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.code()).isEqualTo("too_many_events");
                    assertThat(e.detail()).contains("at most 2 events; frame 2 at byte 16 is one more", "/import");
                });
        byte[] ndjson = "{\"stream\":\"s\"}\n\n{\"stream\":\"s\"}\n\n\n".getBytes(StandardCharsets.UTF_8);
        assertThat(EventFrames.decodeNdjson(ndjson, 1000, 1 << 20, 2)).hasSize(2);
        byte[] three = "{\"stream\":\"s\"}\n\n{\"stream\":\"s\"}\n{\"stream\":\"s\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> EventFrames.decodeNdjson(three, 1000, 1 << 20, 2))
                .isInstanceOf(ApiError.class).hasMessageContaining("line 4 is one more");
    }

    @Test
    void ndjsonThatIsNotUtf8IsRefusedNamingTheLine() {
        byte[] body = "{\"stream\":\"s\"}\n{\"stream\":\"\u00e9".getBytes(StandardCharsets.UTF_8);
        body[body.length - 1] = (byte) 0x28; // 0xC3 0x28: not UTF-8
        assertThatThrownBy(() -> EventFrames.decodeNdjson(body, 1000, 1 << 20, 100))
                .isInstanceOf(ApiError.class).hasMessageContaining("line 2").hasMessageContaining("not valid UTF-8");
    }

    @Test
    void aStreamIdThatIsNotUtf8IsRefusedEvenAfterAValidOne() {
        Buffer body = Buffer.buffer();
        frame(body, "ok", "x");
        body.appendByte((byte) 2).appendBytes(new byte[]{(byte) 0xC3, (byte) 0x28}).appendUnsignedInt(0);
        assertThatThrownBy(() -> EventFrames.decodeFrames(body.getBytes(), 1000, 1 << 20, 100))
                .isInstanceOf(ApiError.class).hasMessageContaining("frame 1").hasMessageContaining("not valid UTF-8");
    }
}
