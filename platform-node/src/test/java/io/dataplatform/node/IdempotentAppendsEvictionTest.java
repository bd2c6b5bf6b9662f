package io.dataplatform.node;

import io.dataplatform.store.AppendResult;
import io.dataplatform.store.StoreId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key table's bounds, without a node: a clock and a key limit of our own. */
class IdempotentAppendsEvictionTest {

    private final StoreId store = StoreId.of("sales");

    @Test
    void aKeyWhoseAppendIsStillRunningIsNotForgottenBeyondTheKeyLimit() {
        IdempotentAppends keys = new IdempotentAppends(Duration.ofMinutes(10), 1, System::nanoTime);
        AtomicInteger started = new AtomicInteger();
        CompletableFuture<AppendResult> running = new CompletableFuture<>();
        CompletableFuture<AppendResult> first = keys.appendOnce(store, "key-running", 1, 10, () -> {
            started.incrementAndGet();
            return running;
        });
        // a second key takes the table past its limit of one while the first append is in flight
        keys.appendOnce(store, "key-other-1", 2, 10, () -> CompletableFuture.completedFuture(null));

        CompletableFuture<AppendResult> replay = keys.appendOnce(store, "key-running", 1, 10, () -> {
            started.incrementAndGet();
            return new CompletableFuture<>();
        });
        assertThat(replay).isSameAs(first);
        assertThat(started).hasValue(1);
    }

    @Test
    void aKeyReusedForAnotherBatchIsRefusedWithoutNamingTheStoreItWasFirstUsedOn() {
        IdempotentAppends keys = new IdempotentAppends(Duration.ofMinutes(10), 100, System::nanoTime);
        keys.appendOnce(store, "key-shared-1", 1, 10, () -> CompletableFuture.completedFuture(null));
        assertThatThrownBy(() -> keys.appendOnce(StoreId.of("payroll"), "key-shared-1", 1, 10,
                () -> CompletableFuture.completedFuture(null)))
                .isInstanceOf(ApiError.class)
                .hasMessageContaining("key-shared-1")
                .hasMessageNotContaining("sales");
    }
}
