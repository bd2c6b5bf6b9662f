package io.dataplatform.samples.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One chat event, JSON in the store's stream {@value #STREAM}: {@code {"type":"line","name":"alice","text":"hi"}}.
 * Types: {@code join} (a client started), {@code line} (a typed line), {@code here} (a heartbeat: the client
 * still runs, sent when it has sent nothing else for a while), {@code leave} (a client quit).
 *
 * @param type {@code join}, {@code line}, {@code here} or {@code leave}
 * @param name who wrote it
 * @param text the line (null for the others)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatMessage(String type, String name, String text) {

    public static final String STREAM = "chat";
    public static final String JOIN = "join";
    public static final String LINE = "line";
    public static final String HERE = "here";
    public static final String LEAVE = "leave";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public byte[] toJson() {
        try {
            return MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The message in {@code data}, or null if it is not one (other writers may share the store). */
    public static ChatMessage fromJson(byte[] data) {
        try {
            ChatMessage message = MAPPER.readValue(data, ChatMessage.class);
            return message.type() == null || message.name() == null ? null : message;
        } catch (IOException e) {
            return null;
        }
    }
}
