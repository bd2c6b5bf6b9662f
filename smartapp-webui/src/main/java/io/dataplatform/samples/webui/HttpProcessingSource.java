package io.dataplatform.samples.webui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The head from a node ({@code GET /stores/{store}}) and runner states from a projection worker
 * ({@code GET /projections/{name}/status}), over HTTP with a one-second timeout; a node or worker
 * that does not answer yields unknown (null). Either URI may be null. Thread-safe.
 */
final class HttpProcessingSource implements ProcessingSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI node;
    private final URI worker;
    private final String store;
    private final Map<String, JsonNode> workerStatus = new ConcurrentHashMap<>();

    HttpProcessingSource(URI node, URI worker, String store) {
        this.node = node;
        this.worker = worker;
        this.store = store;
    }

    @Override
    public Head head() {
        if (node == null) {
            return null;
        }
        JsonNode stats = get(node.resolve("/stores/" + store));
        if (stats == null || !stats.has("commit")) {
            return null;
        }
        return new Head(stats.path("commit").path("position").asLong(), stats.path("commit").path("version").asLong());
    }

    @Override
    public String state(String projection) {
        if (worker == null) {
            return null;
        }
        JsonNode status = get(worker.resolve("/projections/" + projection + "/status"));
        if (status == null) {
            workerStatus.remove(projection);
            return null;
        }
        workerStatus.put(projection, status);
        return status.path("state").asText(null);
    }

    @Override
    public String error(String projection) {
        JsonNode status = workerStatus.get(projection);
        JsonNode error = status == null ? null : status.get("error");
        return error == null || error.isNull() ? null : error.path("message").asText(error.asText());
    }

    private JsonNode get(URI uri) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
