package io.dataplatform.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small HTTP client for tests: raw requests, JSON answers, binary frames. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final HttpClient client;

    Http(URI base) {
        this(base, null, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build());
    }

    private Http(URI base, String token, HttpClient client) {
        this.base = base;
        this.token = token;
        this.client = client;
    }

    /** The same client, sending {@code Authorization: Bearer <token>} with every request. */
    Http withToken(String value) {
        return new Http(base, value, client);
    }

    record Answer(int status, byte[] body, java.net.http.HttpHeaders headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text(), e);
            }
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String error() {
            return json().path("error").asText();
        }

        String detail() {
            return json().path("detail").asText();
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    Answer send(String method, String path, String contentType, byte[] body, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(90))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer get(String path) {
        return send("GET", path, null, null, null);
    }

    Answer getJson(String path) {
        return send("GET", path, null, null, "application/json");
    }

    Answer post(String path, String contentType, byte[] body) {
        return send("POST", path, contentType, body, null);
    }

    Answer postText(String path, String body) {
        return post(path, "application/octet-stream", body.getBytes(StandardCharsets.UTF_8));
    }

    /** Binary frames: u8 S, stream id, u32 N, data. */
    static byte[] frames(String... streamAndData) {
        ByteBuffer out = ByteBuffer.allocate(1 << 20);
        for (int i = 0; i < streamAndData.length; i += 2) {
            byte[] stream = streamAndData[i].getBytes(StandardCharsets.UTF_8);
            byte[] data = streamAndData[i + 1].getBytes(StandardCharsets.UTF_8);
            out.put((byte) stream.length).put(stream).putInt(data.length).put(data);
        }
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }
}
