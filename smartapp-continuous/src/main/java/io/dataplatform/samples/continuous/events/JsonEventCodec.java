package io.dataplatform.samples.continuous.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Dump events as JSON objects (absent attributes left out), measured against the binary form. Not thread-safe. */
final class JsonEventCodec implements EventCodec {
    private final ObjectMapper mapper = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL).build();
    private byte[] last = new byte[0];

    @Override
    public int encode(DumpEvent event) {
        try {
            last = mapper.writeValueAsBytes(event);
            return last.length;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public byte[] array() {
        return last;
    }

    @Override
    public DumpEvent decode(String stream, byte[] data) {
        Class<? extends DumpEvent> type = switch (stream) {
            case UserEvent.STREAM -> UserEvent.class;
            case PostEvent.STREAM -> PostEvent.class;
            case CommentEvent.STREAM -> CommentEvent.class;
            default -> throw new IllegalArgumentException("not a dump event stream: " + stream);
        };
        try {
            return mapper.readValue(data, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode a " + stream + " event", e);
        }
    }
}
