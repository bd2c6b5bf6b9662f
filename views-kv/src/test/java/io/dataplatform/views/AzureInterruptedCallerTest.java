package io.dataplatform.views;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.testing.azurite.Azurite;
import io.dataplatform.testing.azurite.AzuriteExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code azure} backend serves a caller whose thread is interrupted, as the local backends do
 * ({@link InterruptedWriterTest}): every call completes, the thread stays interrupted, and the
 * container keeps committing.
 */
@ExtendWith(AzuriteExtension.class)
class AzureInterruptedCallerTest {

    @Test
    void anInterruptedCallerCommitsReadsReleasesAndDropsAndStaysInterrupted(Azurite azurite) {
        ViewStore store = ViewStores.open(azurite.location(azurite.uniqueContainer("interrupted")));
        Thread.currentThread().interrupt();
        try {
            ViewContainer views = store.container("flagged");
            views.commit(List.of(ViewChange.write("a", "{\"v\":1}".getBytes(UTF_8))), Checkpoint.at(1));
            views.writeBytes("b", "{}".getBytes(UTF_8));
            assertThat(new String(views.readBytes("a"), UTF_8)).isEqualTo("{\"v\":1}");
            views.commit(List.of(ViewChange.write("a", "{\"v\":2}".getBytes(UTF_8))), Checkpoint.at(2));
            store.releaseContainer("flagged");
            ViewContainer again = store.container("flagged");
            assertThat(new String(again.readBytes("a"), UTF_8)).isEqualTo("{\"v\":2}");
            assertThat(again.readCheckpoint().position()).isEqualTo(2);
            store.dropContainer("flagged");
            assertThat(store.containers()).doesNotContain("flagged");
            store.close();
            assertThat(Thread.currentThread().isInterrupted()).as("interrupted after every call").isTrue();
        } finally {
            Thread.interrupted();
            store.close();
        }
    }

    @Test
    void aWriterInterruptedWhileCommittingToBlobsLosesNothing(Azurite azurite) throws Exception {
        String location = azurite.location(azurite.uniqueContainer("interrupted"));
        ViewStore store = ViewStores.open(location);
        ViewContainer views = store.container("interrupted");
        Map<String, String> committed = new ConcurrentHashMap<>();
        AtomicLong commits = new AtomicLong();
        AtomicLong lastPosition = new AtomicLong(-1);
        AtomicInteger interruptsSeen = new AtomicInteger();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            try {
                for (long i = 0; !stop.get(); i++) {
                    String key = "users/" + (i % 20);
                    String document = "{\"n\":" + i + "}";
                    views.commit(List.of(ViewChange.write(key, document.getBytes(UTF_8))), Checkpoint.at(i));
                    committed.put(key, document);
                    lastPosition.set(i);
                    commits.incrementAndGet();
                    if (Thread.interrupted()) {
                        interruptsSeen.incrementAndGet();
                    }
                }
            } catch (Throwable e) {
                unexpected.set(e);
            }
        }, "interrupted-azure-writer");
        writer.start();
        int interrupts = 30;
        for (int n = 0; n < interrupts; n++) {
            long before = commits.get();
            Await.until(Duration.ofSeconds(30), "the writer commits again (interrupt " + n + ")",
                    () -> commits.get() > before || unexpected.get() != null);
            assertThat(unexpected.get()).as("what the writer threw").isNull();
            int spins = ThreadLocalRandom.current().nextInt(2_000_000); // anywhere in a commit's requests
            for (int i = 0; i < spins; i++) {
                Thread.onSpinWait();
            }
            writer.interrupt();
        }
        long after = commits.get();
        Await.until(Duration.ofSeconds(30), "the writer commits after the last interrupt",
                () -> commits.get() > after + 3 || unexpected.get() != null);
        stop.set(true);
        Await.until(Duration.ofSeconds(30), "the writer ends", () -> !writer.isAlive());
        assertThat(unexpected.get()).as("what the writer threw").isNull();
        assertThat(interruptsSeen.get()).as("interrupts the writer saw after its calls returned").isEqualTo(interrupts);

        for (Map.Entry<String, String> view : committed.entrySet()) {
            assertThat(new String(views.readBytes(view.getKey()), UTF_8)).as("view %s", view.getKey()).isEqualTo(view.getValue());
        }
        store.close();
        try (ViewStore again = ViewStores.open(location)) {
            ViewContainer reopened = again.container("interrupted");
            assertThat(reopened.readCheckpoint().position()).isEqualTo(lastPosition.get());
            for (Map.Entry<String, String> view : committed.entrySet()) {
                assertThat(new String(reopened.readBytes(view.getKey()), UTF_8)).as("view %s after reopening", view.getKey())
                        .isEqualTo(view.getValue());
            }
        }
    }
}
