package io.dataplatform.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataplatform.rules.Backoff;
import io.dataplatform.store.AppendResult;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Requests to a node over HTTP with retries: connection failures, requests without an answer
 * within the request timeout, 502, 504 and 503 (honouring {@code Retry-After}) are retried with
 * bounded exponential backoff and jitter ({@link Backoff}); 4xx, 500, 507 and 503 {@code store_failed} fail at once
 * with the node's error (see {@link #isTransient}). Thread-safe (one {@link HttpClient} per instance,
 * built on first use); the hot paths over plain HTTP use {@link NodeConnection}s of their owners
 * ({@link #connection()}, {@link #exchange}) with the same retry rules.
 */
final class NodeHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    /** The JDK client for every request but the hot paths over plain HTTP; built on first use (it costs ~0.5 s of CPU to start). */
    private volatile HttpClient http;
    private final NodeCredentials credentials;
    private final RetryPolicy retry;
    private final Backoff backoff;
    private final String token;
    /** True when requests go over plain HTTP: then the hot paths use {@link NodeConnection}s. */
    private final boolean plain;

    /**
     * How long one attempt waits for its answer, and how often and how long to retry transient
     * failures. {@code requestTimeout} runs from sending a request until its answer's head
     * arrives; without it a node that accepts a connection and never answers would block the
     * caller forever. The default, 90 s, outlasts the node's own 60 s deadlines, so a node that
     * answers at all (a 408 for a slow body, say) does so first; a long poll gets its wait on top
     * ({@link #send(Supplier, HttpResponse.BodyHandler, Duration)}).
     */
    record RetryPolicy(int attempts, Duration firstDelay, Duration maxDelay, Duration requestTimeout) {
        static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofMillis(100), Duration.ofSeconds(5),
                Duration.ofSeconds(90));

        RetryPolicy {
            if (attempts < 1 || requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("a retry policy makes at least one attempt with a positive request timeout");
            }
            backoff(attempts, firstDelay, maxDelay); // checks the delays
        }

        /** The pauses between attempts: doubling from {@code firstDelay} up to {@code maxDelay}, plus up to a quarter. */
        Backoff backoff() {
            return backoff(attempts, firstDelay, maxDelay);
        }

        private static Backoff backoff(int attempts, Duration firstDelay, Duration maxDelay) {
            return Backoff.exponential(attempts - 1, firstDelay, maxDelay).withJitter(0.25);
        }
    }

    NodeHttp(URI endpoint, RetryPolicy retry) {
        this(endpoint, retry, NodeCredentials.NONE);
    }

    NodeHttp(URI endpoint, RetryPolicy retry, NodeCredentials credentials) {
        this.endpoint = endpoint;
        this.retry = retry;
        this.backoff = retry.backoff();
        this.token = credentials.bearerToken();
        this.plain = "http".equalsIgnoreCase(endpoint.getScheme()) && endpoint.getHost() != null
                && !Boolean.getBoolean("dataplatform.client.jdkHttpOnly");
        this.credentials = credentials;
    }

    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                client = http;
                if (client == null) {
                    HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(10));
                    if (credentials.sslContext() != null) {
                        builder.sslContext(credentials.sslContext());
                    }
                    client = builder.build();
                    http = client;
                }
            }
        }
        return client;
    }

    /** The request with this client's token, if it has one, and {@code timeout}. */
    private HttpRequest prepared(HttpRequest request, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request, (name, value) -> true).timeout(timeout);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.build();
    }

    URI endpoint() {
        return endpoint;
    }

    /** A new connection of its own for one owner's hot-path requests, or null when the node speaks HTTPS (use {@link #send}). */
    NodeConnection connection() {
        return plain ? new NodeConnection(endpoint, token) : null;
    }

    /**
     * Sends (and retries, as {@link #send(Supplier, HttpResponse.BodyHandler, Duration)} does) one
     * request over {@code connection}; returns the first answer below 300, its body in
     * {@code target}'s array. With {@code written}, the first attempt's request was written
     * already (by {@link NodeConnection#write}, whose failure then shows as this read's failure):
     * a caller writes its next request before finishing its work on the previous answer.
     */
    NodeConnection.Answer exchange(NodeConnection connection, String method, String target, String contentType,
                                   String accept, String idempotencyKey, byte[] body, int offset, int length,
                                   Duration serverWait, NodeConnection.BodyTarget into, boolean written) {
        Duration timeout = retry.requestTimeout().plus(serverWait);
        boolean freshRetried = false;
        for (int attempt = 1; ; attempt++) {
            PlatformClientException error;
            String retryAfter = null;
            try {
                if (!written) {
                    connection.write(method, target, contentType, accept, idempotencyKey, body, offset, length);
                }
                written = false;
                NodeConnection.Answer answer = connection.read(timeout, into);
                if (answer.status() < 300) {
                    return answer;
                }
                error = toException(answer.status(), answer.body());
                retryAfter = answer.retryAfter();
            } catch (HttpTimeoutException e) {
                error = new PlatformClientException(0, "timeout", endpoint + " did not answer within "
                        + timeout.toMillis() + " ms", e);
            } catch (IOException e) {
                if (connection.lastWriteReused() && !freshRetried) {
                    // the node may have closed the kept-alive connection while it was idle: once, at once, anew
                    freshRetried = true;
                    attempt--;
                    continue;
                }
                error = unreachable(e);
            }
            written = false;
            if (!isTransient(error) || !backoff.allowsRetry(attempt)) {
                throw error;
            }
            Duration wait = backoff.pauseBefore(attempt, ThreadLocalRandom.current());
            if (retryAfter != null && error.status() == 503) {
                try {
                    wait = backoff.bounded(Duration.ofSeconds(Long.parseLong(retryAfter.trim())), ThreadLocalRandom.current());
                } catch (NumberFormatException ignored) {
                    // keep the exponential delay
                }
            }
            sleep(wait);
        }
    }

    /** {@link #appendResult(HttpResponse, int)} for an answer read over a {@link NodeConnection}. */
    AppendResult appendResult(NodeConnection.Answer answer, int fallbackCount) {
        return appendResult(answer.status(), answer.body(), answer.bodyLength(), fallbackCount);
    }

    URI uri(String pathAndQuery) {
        return endpoint.resolve(pathAndQuery);
    }

    /** Sends (and retries) a request; returns the first answer below 300. */
    <T> HttpResponse<T> send(Supplier<HttpRequest> request, HttpResponse.BodyHandler<T> handler) {
        return send(request, handler, Duration.ZERO);
    }

    /**
     * {@link #send(Supplier, HttpResponse.BodyHandler)} for a request the node may hold for up to
     * {@code serverWait} on purpose (a long poll): each attempt waits that much longer.
     */
    <T> HttpResponse<T> send(Supplier<HttpRequest> request, HttpResponse.BodyHandler<T> handler, Duration serverWait) {
        Duration timeout = retry.requestTimeout().plus(serverWait);
        for (int attempt = 1; ; attempt++) {
            HttpResponse<byte[]> errorAnswer;
            PlatformClientException failure;
            try {
                HttpResponse<T> response = http().send(prepared(request.get(), timeout), info -> info.statusCode() < 300
                        ? handler.apply(info) : castErrorHandler(info));
                if (response.statusCode() < 300) {
                    return response;
                }
                @SuppressWarnings("unchecked")
                HttpResponse<byte[]> error = (HttpResponse<byte[]>) (HttpResponse<?>) response;
                errorAnswer = error;
                failure = null;
            } catch (HttpTimeoutException e) {
                errorAnswer = null;
                failure = e instanceof HttpConnectTimeoutException ? unreachable(e)
                        : new PlatformClientException(0, "timeout", endpoint + " did not answer within "
                        + timeout.toMillis() + " ms", e);
            } catch (IOException e) {
                errorAnswer = null;
                failure = unreachable(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PlatformClientException(0, "interrupted", "interrupted while talking to " + endpoint, e);
            }
            PlatformClientException error = errorAnswer != null ? toException(errorAnswer) : failure;
            if (!isTransient(error) || !backoff.allowsRetry(attempt)) {
                throw error;
            }
            Duration wait = backoff.pauseBefore(attempt, ThreadLocalRandom.current());
            if (errorAnswer != null && errorAnswer.statusCode() == 503) {
                Optional<String> after = errorAnswer.headers().firstValue("Retry-After");
                if (after.isPresent()) {
                    try {
                        wait = backoff.bounded(Duration.ofSeconds(Long.parseLong(after.get().trim())),
                                ThreadLocalRandom.current());
                    } catch (NumberFormatException ignored) {
                        // keep the exponential delay
                    }
                }
            }
            sleep(wait);
        }
    }

    /**
     * One attempt of a request the node may hold for up to {@code serverWait} (a long poll), sent
     * without blocking a thread: the future completes with the answer below 300, or fails with a
     * {@link PlatformClientException} (see {@link #isTransient} for which a caller may retry).
     * Cancelling the future aborts the exchange.
     */
    CompletableFuture<HttpResponse<byte[]>> sendAsync(HttpRequest request, Duration serverWait) {
        Duration timeout = retry.requestTimeout().plus(serverWait);
        CompletableFuture<HttpResponse<byte[]>> sent = http().sendAsync(prepared(request, timeout),
                HttpResponse.BodyHandlers.ofByteArray());
        CompletableFuture<HttpResponse<byte[]>> answer = sent.handle((response, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
                    throw new PlatformClientException(0, "timeout", endpoint + " did not answer within "
                            + timeout.toMillis() + " ms", cause);
                }
                if (cause instanceof IOException io) {
                    throw unreachable(io);
                }
                throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
            }
            if (response.statusCode() >= 300) {
                throw toException(response);
            }
            return response;
        });
        answer.whenComplete((response, failure) -> {
            if (answer.isCancelled()) {
                sent.cancel(true);
            }
        });
        return answer;
    }

    private PlatformClientException unreachable(IOException failure) {
        return new PlatformClientException(0, "unreachable", endpoint + ": " + failure, failure);
    }

    /**
     * True for failures that may pass by themselves: the node unreachable or not answering in
     * time (status 0), a gateway error, and 503 back-pressure or stopping. A store that refuses
     * writes until an operator reopens it ({@code store_failed}), a full disk (507) and internal
     * errors (500: a damaged log) do not pass in seconds, so they surface at once.
     */
    static boolean isTransient(PlatformClientException error) {
        return switch (error.status()) {
            case 0, 502, 504 -> true;
            case 503 -> !"store_failed".equals(error.error());
            default -> false;
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> HttpResponse.BodySubscriber<T> castErrorHandler(HttpResponse.ResponseInfo info) {
        return (HttpResponse.BodySubscriber) HttpResponse.BodySubscribers.ofByteArray();
    }

    AppendResult appendResult(HttpResponse<byte[]> response, int fallbackCount) {
        return appendResult(response.statusCode(), response.body(), response.body().length, fallbackCount);
    }

    private AppendResult appendResult(int status, byte[] body, int length, int fallbackCount) {
        try {
            JsonNode json = JSON.readTree(body, 0, length);
            return new AppendResult(json.path("position").asLong(), json.path("next").asLong(),
                    json.path("version").asLong(), json.has("count") ? json.path("count").asInt() : fallbackCount,
                    json.path("durable").asBoolean(true));
        } catch (IOException e) {
            throw new PlatformClientException(status, "invalid_answer",
                    "the node's answer is not JSON: " + e.getMessage(), e);
        }
    }

    static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new PlatformClientException(0, "invalid_answer", "the node's answer is not JSON: " + e.getMessage(), e);
        }
    }

    private static PlatformClientException toException(HttpResponse<byte[]> response) {
        return toException(response.statusCode(), response.body());
    }

    private static PlatformClientException toException(int status, byte[] body) {
        String error = "http_" + status;
        String detail = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        try {
            JsonNode json = JSON.readTree(body);
            if (json != null && json.has("error")) {
                error = json.path("error").asText();
                detail = json.path("detail").asText();
            }
        } catch (IOException ignored) {
            // not the node's JSON error: keep the raw text
        }
        return new PlatformClientException(status, error, detail, null);
    }

    private static void sleep(Duration wait) {
        try {
            Backoff.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformClientException(0, "interrupted", "interrupted while backing off", e);
        }
    }
}
