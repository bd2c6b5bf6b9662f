package io.dataplatform.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NewEventTest {

    @Test
    void anEventMayHoldASliceOfALargerArray() {
        byte[] body = "xxhello-worldyy".getBytes(StandardCharsets.US_ASCII);
        NewEvent event = new NewEvent("s", body, 2, 11);
        assertThat(event.dataArray()).isSameAs(body);
        assertThat(event.dataOffset()).isEqualTo(2);
        assertThat(event.dataLength()).isEqualTo(11);
        assertThat(new String(event.data(), StandardCharsets.US_ASCII)).isEqualTo("hello-world");
        assertThat(event.recordSize()).isEqualTo(RecordFormat.recordSize(1, 11));

        NewEvent sameStream = event.withData(body, 0, 2);
        assertThat(sameStream.streamIdBytes()).isSameAs(event.streamIdBytes());
        assertThat(new String(sameStream.data(), StandardCharsets.US_ASCII)).isEqualTo("xx");
    }

    @Test
    void aWholeArrayIsHandedBackAsIs() {
        byte[] data = {1, 2, 3};
        assertThat(new NewEvent("s", data).data()).isSameAs(data);
    }

    @Test
    void aSliceOutsideItsArrayIsRefused() {
        byte[] body = new byte[10];
        assertThatThrownBy(() -> new NewEvent("s", body, 8, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new NewEvent("s", body, -1, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        NewEvent event = new NewEvent("s", body);
        assertThatThrownBy(() -> event.withData(body, 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
