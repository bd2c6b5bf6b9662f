package io.dataplatform.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataplatform.rules.Backoff;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CommitWaitScheduler;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * One {@code commitAfter} of a {@link RemoteStoreReader}: long polls of
 * {@code GET /stores/{store}/commit?after=&waitMs=} until the node answers a pointer past
 * {@code after} or the timeout passes (the node caps one poll below its idle timeout, so a long
 * wait takes several). Sent with the HTTP client's asynchronous API: no thread waits. Transient
 * failures (the node restarting) are retried with backoff while time remains; past the timeout the
 * last failure completes the wait. Cancelling it aborts the poll in flight. Thread-safe.
 */
final class RemoteCommitWait {
    /** Pauses between polls after transient failures, 100 ms doubling to 2 s; the wait's deadline bounds their number. */
    private static final Backoff BACKOFF = Backoff.exponential(Integer.MAX_VALUE, Duration.ofMillis(100),
            Duration.ofSeconds(2));
    /** The longest one poll asks the node to wait (the node's own limit). */
    static final long MAX_POLL_MILLIS = 60_000;

    private final NodeHttp http;
    private final StoreId store;
    private final long after;
    private final long deadline;
    private final CompletableFuture<CommitPointer> result = new CompletableFuture<>();
    /** The poll in flight or the retry scheduled, cancelled with the wait. */
    private volatile Future<?> step;
    /** Transient failures since the last answer. */
    private int failures;

    private RemoteCommitWait(NodeHttp http, StoreId store, long after, Duration timeout) {
        this.http = http;
        this.store = store;
        this.after = Math.max(after, -1);
        long nanos = timeout.isNegative() ? 0 : Math.min(timeout.toNanos(), Long.MAX_VALUE / 4);
        this.deadline = System.nanoTime() + nanos;
    }

    static CompletableFuture<CommitPointer> start(NodeHttp http, StoreId store, long after, Duration timeout) {
        RemoteCommitWait wait = new RemoteCommitWait(http, store, after, timeout);
        wait.result.whenComplete((pointer, error) -> {
            Future<?> pending = wait.step;
            if (pending != null && wait.result.isCancelled()) {
                pending.cancel(true);
            }
        });
        wait.poll();
        return wait.result;
    }

    private void poll() {
        if (result.isDone()) {
            return;
        }
        long waitMillis = Math.max(0, Math.min(MAX_POLL_MILLIS, (deadline - System.nanoTime()) / 1_000_000));
        HttpRequest request = HttpRequest.newBuilder(http.uri("/stores/" + store.value() + "/commit?after=" + after
                + "&waitMs=" + waitMillis)).header("Accept", "application/json").GET().build();
        CompletableFuture<HttpResponse<byte[]>> answer = http.sendAsync(request, Duration.ofMillis(waitMillis));
        step = answer;
        if (result.isCancelled()) {
            answer.cancel(true);
        }
        answer.whenComplete((response, failure) -> {
            if (failure == null) {
                answered(response);
            } else {
                failed(failure);
            }
        });
    }

    private void answered(HttpResponse<byte[]> response) {
        CommitPointer pointer;
        try {
            JsonNode commit = NodeHttp.json(response.body()).path("commit");
            pointer = new CommitPointer(commit.path("position").asLong(), commit.path("version").asLong());
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        failures = 0;
        if (pointer.position() > after || System.nanoTime() - deadline >= 0) {
            result.complete(pointer);
        } else {
            poll(); // the node's cap ran out before our timeout: wait on
        }
    }

    private void failed(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof PlatformClientException error) {
            if ("store_not_found".equals(error.error())) {
                result.completeExceptionally(new StoreNotFoundException(store.value()));
                return;
            }
            long left = deadline - System.nanoTime();
            if (NodeHttp.isTransient(error) && left > 0) {
                failures = Math.min(failures + 1, Integer.MAX_VALUE - 1);
                long delay = Math.min(BACKOFF.pauseBefore(failures).toNanos(), left);
                step = CommitWaitScheduler.schedule(this::poll, delay);
                return;
            }
        }
        result.completeExceptionally(cause);
    }
}
