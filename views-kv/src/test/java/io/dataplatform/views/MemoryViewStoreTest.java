package io.dataplatform.views;

import java.util.UUID;

/** The contract on the {@code memory} backend; a named space outlives the store, so reopening works. */
class MemoryViewStoreTest extends ViewStoreContract {

    private final String location = "memory:test-" + UUID.randomUUID();

    @Override
    String location() {
        return location;
    }
}
