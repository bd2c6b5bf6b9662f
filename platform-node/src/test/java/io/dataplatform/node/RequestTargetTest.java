package io.dataplatform.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The raw path's rules, without a server: splitting, strict decoding, refused bytes and escapes. */
class RequestTargetTest {

    @Test
    void segmentsAreFoundWithoutCopyingThePath() {
        int[] starts = new int[RequestTarget.MAX_SEGMENTS];
        assertThat(RequestTarget.segments("/stores/sales/events", starts)).isEqualTo(3);
        assertThat(starts).startsWith(1, 8, 14);
        assertThat(RequestTarget.segments("/", starts)).isEqualTo(1);
        assertThat(RequestTarget.segments("/a/".repeat(5), starts)).as("deeper than any route").isEqualTo(-1);
    }

    @Test
    void parametersArePercentDecodedAsUtf8() {
        assertThat(RequestTarget.decode("order-1", "stream")).isEqualTo("order-1");
        assertThat(RequestTarget.decode("caf%C3%A9%2Fx", "stream")).isEqualTo("caf\u00e9/x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%FF", "%C3", "%C3%28", "%ED%A0%80"})
    void bytesThatAreNotUtf8AreRefusedNeverReplaced(String segment) {
        assertThatThrownBy(() -> RequestTarget.decode(segment, "stream")).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("invalid_stream_id");
            assertThat(e.detail()).contains("not valid UTF-8");
        });
    }

    @Test
    void brokenEscapesAndRawBytesAreRefused() {
        assertThat(RequestTarget.brokenEscape("/a%2Fb")).isEqualTo(-1);
        assertThat(RequestTarget.brokenEscape("/a%2")).isEqualTo(2);
        assertThat(RequestTarget.brokenEscape("/a%zz")).isEqualTo(2);
        assertThatThrownBy(() -> RequestTarget.check("/stores/a%g1", null)).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.code()).isEqualTo("invalid_path"));
        assertThatThrownBy(() -> RequestTarget.check("/stores/\u00c3\u00bc", null)).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.detail()).contains("raw byte 0xC3 at character 8"));
        assertThatThrownBy(() -> RequestTarget.check("/stores", "from=1 2")).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.detail()).contains("the query holds the raw byte 0x20"));
        assertThatThrownBy(() -> RequestTarget.check("stores", null)).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.detail()).contains("starting with '/'"));
        RequestTarget.check("/stores/sales/events", "from=0&max=10");
    }
}
