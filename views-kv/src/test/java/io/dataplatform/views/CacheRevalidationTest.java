package io.dataplatform.views;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.dataplatform.views.spi.DocumentVersion;
import io.dataplatform.views.spi.StoredDocument;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache in front of a backend: a writer store and a reader store share a location, as two
 * processes would; the reader's clock is driven by the test and its backend calls are counted.
 * Past the bound, a reader reads the container's generation once, and checks the versions of its
 * cached views only if it changed; without generations, it checks each view's version.
 */
class CacheRevalidationTest {

    /** The bound minus one flush interval of a writer that writes views behind its commits. */
    private static final Duration FRESH = WriteBehind.of(ViewStoreOptions.defaults())
            .cacheFreshness(ViewStoreOptions.defaults().revalidateAfter());

    private final String location = "memory:cache-" + UUID.randomUUID();
    private final AtomicLong clock = new AtomicLong();
    private final AtomicInteger gets = new AtomicInteger();
    private final AtomicInteger versions = new AtomicInteger();
    private final AtomicInteger generations = new AtomicInteger();
    private OpenViewStore writerStore;
    private ViewContainer writer;

    @BeforeEach
    void openWriter() {
        writerStore = ViewStores.open(location, ViewStoreOptions.defaults(), CommitHook.NONE, System::nanoTime);
        writer = writerStore.container("views");
    }

    @AfterEach
    void close() {
        writerStore.close();
    }

    private ViewReader reader(long cacheMaxBytes) throws IOException {
        return reader(cacheMaxBytes, true);
    }

    private ViewReader reader(long cacheMaxBytes, boolean withGenerations) throws IOException {
        OpenViewStore store = ViewStores.open(location, new WrappedBackend(WrappedBackend.real(location),
                container -> new ForwardingContainer(container) {
                    @Override
                    public StoredDocument get(String key) throws IOException {
                        gets.incrementAndGet();
                        return super.get(key);
                    }

                    @Override
                    public DocumentVersion version(String key) throws IOException {
                        versions.incrementAndGet();
                        return super.version(key);
                    }

                    @Override
                    public DocumentVersion generation() throws IOException {
                        generations.incrementAndGet();
                        return withGenerations ? super.generation() : null;
                    }
                }, false), ViewStoreOptions.defaults().withCacheMaxBytes(cacheMaxBytes), CommitHook.NONE, clock::get);
        return store.reader("views");
    }

    @Test
    void cachedReadsDoNotTouchTheBackendWithinTheBound() throws IOException {
        writer.writeBytes("a", "{\"v\":1}".getBytes(UTF_8));
        ViewReader reader = reader(1 << 20);
        for (int i = 0; i < 100; i++) {
            assertThat(reader.readBytes("a")).asString(UTF_8).isEqualTo("{\"v\":1}");
            clock.addAndGet(Duration.ofMillis(5).toNanos());
        }
        assertThat(gets).hasValue(1);
        assertThat(versions).hasValue(0);
        assertThat(generations).as("the container's generation, once within the bound").hasValue(1);
    }

    @Test
    void afterTheBoundAnUnchangedContainerCostsOneGenerationReadAndNoVersionCheck() throws IOException {
        writer.writeBytes("a", "{\"v\":1}".getBytes(UTF_8));
        writer.writeBytes("b", "{\"v\":1}".getBytes(UTF_8));
        ViewReader reader = reader(1 << 20);
        reader.readBytes("a");
        reader.readBytes("b");
        for (int i = 0; i < 5; i++) {
            clock.addAndGet(Duration.ofSeconds(1).toNanos());
            assertThat(reader.readBytes("a")).asString(UTF_8).isEqualTo("{\"v\":1}");
            assertThat(reader.readBytes("b")).asString(UTF_8).isEqualTo("{\"v\":1}");
        }
        assertThat(gets).hasValue(2);
        assertThat(versions).hasValue(0);
        assertThat(generations).as("once per bound, not once per view").hasValue(6);
    }

    @Test
    void aChangeInTheContainerCostsAVersionCheckOfEachCachedViewReadButReReadsOnlyTheChangedOne() throws IOException {
        writer.writeBytes("a", "{\"v\":1}".getBytes(UTF_8));
        writer.writeBytes("b", "{\"v\":1}".getBytes(UTF_8));
        ViewReader reader = reader(1 << 20);
        reader.readBytes("a");
        reader.readBytes("b");
        writer.writeBytes("b", "{\"v\":2}".getBytes(UTF_8));
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(reader.readBytes("a")).asString(UTF_8).isEqualTo("{\"v\":1}");
        assertThat(reader.readBytes("b")).asString(UTF_8).isEqualTo("{\"v\":2}");
        assertThat(versions).hasValue(2);
        assertThat(gets).as("only the changed view is read again").hasValue(3);
        for (int i = 0; i < 3; i++) {
            clock.addAndGet(Duration.ofSeconds(1).toNanos());
            reader.readBytes("a");
            reader.readBytes("b");
        }
        assertThat(versions).as("checked once against the new generation, then not again").hasValue(2);
        assertThat(gets).hasValue(3);
    }

    @Test
    void withoutGenerationsAfterTheBoundEachViewIsRevalidatedByVersionWithoutBeingReadAgain() throws IOException {
        writer.writeBytes("a", "{\"v\":1}".getBytes(UTF_8));
        ViewReader reader = reader(1 << 20, false);
        reader.readBytes("a");
        for (int i = 0; i < 5; i++) {
            clock.addAndGet(Duration.ofSeconds(1).toNanos());
            assertThat(reader.readBytes("a")).asString(UTF_8).isEqualTo("{\"v\":1}");
        }
        assertThat(gets).hasValue(1);
        assertThat(versions).hasValue(5);
        assertThat(generations).as("asked once per bound, in case one appears").hasValue(6);
    }

    @Test
    void withoutGenerationsAViewChangedByAnotherProcessIsSeenOnceTheBoundHasPassed() throws IOException {
        writer.writeBytes("a", "{\"v\":1}".getBytes(UTF_8));
        ViewReader reader = reader(1 << 20, false);
        assertThat(reader.readBytes("a")).asString(UTF_8).isEqualTo("{\"v\":1}");
        writer.writeBytes("a", "{\"v\":2}".getBytes(UTF_8));
        clock.addAndGet(FRESH.minusMillis(1).toNanos());
        assertThat(reader.readBytes("a")).asString(UTF_8).isEqualTo("{\"v\":1}");
        clock.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(reader.readBytes("a")).asString(UTF_8).isEqualTo("{\"v\":2}");
    }

    @Test
    void aViewChangedByAnotherProcessIsSeenOnceTheBoundHasPassed() throws IOException {
        writer.writeBytes("a", "{\"v\":1}".getBytes(UTF_8));
        ViewReader reader = reader(1 << 20);
        assertThat(reader.readBytes("a")).asString(UTF_8).isEqualTo("{\"v\":1}");
        writer.writeBytes("a", "{\"v\":2}".getBytes(UTF_8));
        clock.addAndGet(FRESH.minusMillis(1).toNanos());
        assertThat(reader.readBytes("a")).as("within the bound the cached version may be served").asString(UTF_8)
                .isEqualTo("{\"v\":1}");
        clock.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(reader.readBytes("a")).asString(UTF_8).isEqualTo("{\"v\":2}");
        assertThat(gets).hasValue(2);
    }

    @Test
    void aMissingViewIsCachedAsMissingAndItsCreationSeenAfterTheBound() throws IOException {
        ViewReader reader = reader(1 << 20);
        assertThat(reader.exists("a")).isFalse();
        assertThat(reader.exists("a")).isFalse();
        assertThat(gets).hasValue(1);
        writer.writeBytes("a", "{}".getBytes(UTF_8));
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(reader.exists("a")).isTrue();
        writer.delete("a");
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(reader.exists("a")).isFalse();
    }

    @Test
    void theCacheIsBoundedByBytes() throws IOException {
        byte[] kib = new byte[1024];
        java.util.Arrays.fill(kib, (byte) ' ');
        for (int i = 0; i < 64; i++) {
            writer.writeBytes("k" + i, kib);
        }
        ViewReader reader = reader(8 * 1024);
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < 64; i++) {
                assertThat(reader.readBytes("k" + i)).hasSize(1024);
            }
        }
        assertThat(gets.get()).as("an 8 KiB cache holds at most 8 of 64 1 KiB views").isGreaterThanOrEqualTo(64 + 56);

        gets.set(0);
        ViewReader roomy = reader(1 << 20);
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < 64; i++) {
                roomy.readBytes("k" + i);
            }
        }
        assertThat(gets).as("a 1 MiB cache holds them all").hasValue(64);
    }
}
