package io.dataplatform.node;

import io.dataplatform.store.OwnershipLostException;
import io.dataplatform.store.StoreHeldException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/** The answers to the failures of storage that several nodes share: a store another node writes, a hold lost. */
class StoreOwnershipErrorsTest {

    @Test
    void aStoreHeldByAnotherNodeIsA503NamingTheStoreAndTheHolder() {
        ApiError error = ErrorResponses.toApiError(new StoreHeldException("sales", "node-b", null));
        assertThat(error.status()).isEqualTo(503);
        assertThat(error.code()).isEqualTo("store_held");
        assertThat(error.retryAfterSeconds()).isEqualTo("5");
        assertThat(error.detail()).contains("'sales'").contains("node-b");
    }

    @Test
    void aHoldLostWhileWritingIsA503SayingTheWriteWasNotCommitted() {
        ApiError error = ErrorResponses.toApiError(ErrorResponses.unwrap(new CompletionException(
                new OwnershipLostException("sales", "lease expired", null))));
        assertThat(error.status()).isEqualTo(503);
        assertThat(error.code()).isEqualTo("store_not_held");
        assertThat(error.retryAfterSeconds()).isEqualTo("1");
        assertThat(error.detail()).contains("'sales'").contains("lease expired").contains("not committed");
    }
}
