package io.dataplatform.client;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * One reusable array that an HTTP answer's body is written into as it arrives (one copy, from the
 * HTTP client's buffers), sized from its {@code Content-Length} and grown only when an answer is
 * larger than any before. Used by one request at a time; not thread-safe (a request's subscriber
 * runs on the HTTP client's threads, and its reader waits for it before touching the array again).
 */
final class AnswerBuffer {
    private byte[] bytes = new byte[0];

    int capacity() {
        return bytes.length;
    }

    /** The array to read an answer of {@code length} bytes into: this buffer's, grown if it is smaller. */
    byte[] arrayFor(int length) {
        if (length > bytes.length) {
            bytes = new byte[length];
        }
        return bytes;
    }

    /** The first {@code length} bytes of the array, as filled by a read into {@link #arrayFor}. */
    ByteBuffer filled(int length) {
        return ByteBuffer.wrap(bytes, 0, length).slice();
    }

    /** A body handler that fills this buffer and answers the filled part as a {@link ByteBuffer}. */
    HttpResponse.BodyHandler<ByteBuffer> handler() {
        return info -> {
            long announced = info.headers().firstValueAsLong("Content-Length").orElse(0);
            if (announced > bytes.length && announced <= Integer.MAX_VALUE - 8) {
                bytes = new byte[(int) announced];
            }
            return new Filler();
        };
    }

    private final class Filler implements HttpResponse.BodySubscriber<ByteBuffer> {
        private final CompletableFuture<ByteBuffer> body = new CompletableFuture<>();
        private int length;

        @Override
        public CompletionStage<ByteBuffer> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                int n = item.remaining();
                if (length + n > bytes.length) {
                    byte[] larger = new byte[Math.max(length + n, bytes.length * 2)];
                    System.arraycopy(bytes, 0, larger, 0, length);
                    bytes = larger;
                }
                item.get(bytes, length, n);
                length += n;
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(ByteBuffer.wrap(bytes, 0, length).slice());
        }
    }
}
