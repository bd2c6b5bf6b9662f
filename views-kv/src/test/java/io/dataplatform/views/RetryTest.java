package io.dataplatform.views;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataplatform.views.spi.DocumentVersion;
import io.dataplatform.views.spi.StoredDocument;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Transient backend failures are retried four times with growing pauses; the rest surface naming container and key. */
class RetryTest {

    private final String location = "memory:retry-" + UUID.randomUUID();
    private final AtomicInteger puts = new AtomicInteger();
    private final AtomicInteger gets = new AtomicInteger();

    private ViewContainer failing(int failures, IOException failure) throws IOException {
        OpenViewStore store = ViewStores.open(location, new WrappedBackend(WrappedBackend.real(location),
                container -> new ForwardingContainer(container) {
                    @Override
                    public DocumentVersion put(String key, byte[] document) throws IOException {
                        if (puts.incrementAndGet() <= failures) {
                            throw failure;
                        }
                        return super.put(key, document);
                    }

                    @Override
                    public StoredDocument get(String key) throws IOException {
                        if (gets.incrementAndGet() <= failures) {
                            throw failure;
                        }
                        return super.get(key);
                    }
                }, false), ViewStoreOptions.defaults().withRetries(4, Duration.ofMillis(1)), CommitHook.NONE, System::nanoTime);
        return store.container("views");
    }

    @Test
    void aTransientFailureIsRetriedUpToFourTimes() throws IOException {
        ViewContainer views = failing(4, new WrappedBackend.TransientFailure("busy"));
        views.writeBytes("a", "{}".getBytes(UTF_8));
        assertThat(puts).hasValue(5);
        assertThat(views.readBytes("a")).asString(UTF_8).isEqualTo("{}");
        assertThat(gets).hasValue(0); // served by the cache after the write
    }

    @Test
    void anInterruptedCallerIsStillRetriedAndStaysInterrupted() throws IOException {
        ViewContainer views = failing(4, new WrappedBackend.TransientFailure("busy"));
        Thread.currentThread().interrupt();
        try {
            views.writeBytes("a", "{}".getBytes(UTF_8)); // write-through: the retries come after the journal entry
            assertThat(Thread.currentThread().isInterrupted()).as("interrupted after the retried write").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(puts).hasValue(5);
        assertThat(views.readBytes("a")).asString(UTF_8).isEqualTo("{}");
    }

    @Test
    void aFailureThatOutlastsTheRetriesNamesTheContainerAndTheKey() throws IOException {
        ViewContainer views = failing(5, new WrappedBackend.TransientFailure("busy"));
        assertThatThrownBy(() -> views.readBytes("some/key"))
                .isInstanceOf(ViewStoreException.class)
                .hasMessage("view store, container 'views', key 'some/key': reading failed after 4 retries: "
                        + WrappedBackend.TransientFailure.class.getName() + ": busy")
                .satisfies(e -> {
                    assertThat(((ViewStoreException) e).container()).isEqualTo("views");
                    assertThat(((ViewStoreException) e).key()).isEqualTo("some/key");
                });
        assertThat(gets).hasValue(5);
    }

    @Test
    void aFailureThatIsNotTransientSurfacesAtOnce() throws IOException {
        ViewContainer views = failing(1, new IOException("No space left on device"));
        assertThatThrownBy(() -> views.writeBytes("a", "{}".getBytes(UTF_8)))
                .isInstanceOf(ViewStoreException.class)
                .hasMessageContaining("container 'views', key 'a': writing failed: java.io.IOException: No space left on device");
        assertThat(puts).hasValue(1);
        assertThatThrownBy(() -> views.writeBytes("b", "{}".getBytes(UTF_8)))
                .as("the failed write's journal entry is durable: only a reopen may go on")
                .isInstanceOf(ViewStoreException.class).hasMessageContaining("reopen");
    }
}
