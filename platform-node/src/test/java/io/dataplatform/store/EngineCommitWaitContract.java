package io.dataplatform.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import static io.dataplatform.store.StoreEngineContract.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Commit waits of an engine's own readers, in the writer's JVM, woken by the engine's commit
 * listener: one subclass per backend, handing it a factory of fresh locations.
 */
public abstract class EngineCommitWaitContract extends CommitWaitContract {

    private final EngineLocations locations;
    private EngineLocations.Location location;
    protected StoreEngine engine;

    protected EngineCommitWaitContract(EngineLocations locations) {
        this.locations = locations;
    }

    @BeforeEach
    void openEngine() throws Exception {
        location = locations.create();
        engine = location.open(StoreEngineContract.TINY_CHUNKS);
    }

    @AfterEach
    void closeEngine() throws Exception {
        try {
            engine.close();
        } finally {
            location.close();
        }
    }

    @Override
    protected long append(StoreId store) {
        return await(engine.append(store, List.of(NewEvent.of("s", "x")))).next();
    }

    @Override
    protected StoreReader open(StoreId store) {
        return engine.openReader(store);
    }

    @Test
    void closingTheRegistrationRemovesTheListener() throws Exception {
        StoreId store = newStore();
        List<CommitListener.Commit> told = new CopyOnWriteArrayList<>();
        AutoCloseable registration = engine.addCommitListener(told::add);
        long first = append(store);
        // listeners run before the append completes: the commit has been told
        assertThat(told).extracting(commit -> commit.pointer().position()).containsExactly(first);
        registration.close();
        registration.close(); // idempotent
        append(store);
        assertThat(told).hasSize(1);
    }

    @Test
    void theSameListenerAddedTwiceIsRemovedOncePerRegistration() throws Exception {
        StoreId store = newStore();
        List<CommitListener.Commit> told = new CopyOnWriteArrayList<>();
        CommitListener listener = told::add;
        AutoCloseable first = engine.addCommitListener(listener);
        try (AutoCloseable second = engine.addCommitListener(listener)) {
            first.close();
            append(store);
            assertThat(told).as("the second registration still tells it").hasSize(1);
        }
        append(store);
        assertThat(told).hasSize(1);
    }

    @Test
    void deletingTheStoreFailsItsWaits() throws Exception {
        StoreId store = newStore();
        try (StoreReader reader = open(store)) {
            CompletableFuture<CommitPointer> wait = reader.commitAfter(reader.commitPointer().position(), FOREVER);
            assertThat(await(engine.delete(store))).isTrue();
            assertThatThrownBy(() -> get(wait)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(StoreClosedException.class).hasMessageContaining("deleted");
        }
    }

    @Test
    void closingTheEngineFailsTheWaitsOfItsReaders() throws Exception {
        StoreId store = newStore();
        StoreReader reader = open(store);
        CompletableFuture<CommitPointer> wait = reader.commitAfter(reader.commitPointer().position(), FOREVER);
        engine.close();
        assertThatThrownBy(() -> get(wait)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> get(reader.commitAfter(0, FOREVER))).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(StoreClosedException.class);
    }
}
