package io.dataplatform.views;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.dataplatform.testing.azurite.Azurite;
import io.dataplatform.testing.azurite.AzuriteExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer process and a reader process see each other's updates within the revalidation bound
 * (file, rocksdb and azure backends), and neither can drop a container the other writes.
 */
@ExtendWith(AzuriteExtension.class)
class CrossProcessTest {

    private static final Duration BOUND = ViewStoreOptions.defaults().revalidateAfter();
    /** Two bounds (one each way), the child's 5 ms poll, and generous slack for a loaded machine. */
    private static final Duration ROUND_TRIP_LIMIT = BOUND.multipliedBy(2).plusSeconds(3);

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"file", "rocksdb", "azure"})
    void eachProcessSeesTheOthersWritesWithinTheBound(String backend, Azurite azurite) throws Exception {
        String location = switch (backend) {
            case "rocksdb" -> "rocksdb:" + temp.resolve("views");
            case "azure" -> azurite.location(azurite.uniqueContainer("cross-process"));
            default -> temp.resolve("views").toString();
        };
        try (ViewStore store = ViewStores.open(location)) {
            ViewContainer ping = store.container("ping");
            ViewReader pong = store.reader("pong");
            ping.write("ping/value", 0L);
            Process child = ChildJvm.start(temp.resolve("child.log"), PongMain.class, location);
            try {
                Await.until(Duration.ofSeconds(30), "the child answers its first ping (JVM start included)",
                        () -> Objects.equals(pong.read("pong/value", Long.class), 0L));
                for (long value = 1; value <= 4; value++) {
                    ping.write("ping/value", value);
                    long expected = value;
                    Duration took = Await.until(ROUND_TRIP_LIMIT.plusSeconds(10), "pong " + value,
                            () -> Objects.equals(pong.read("pong/value", Long.class), expected));
                    assertThat(took).as("round trip of ping %d through two processes' caches", value)
                            .isLessThanOrEqualTo(ROUND_TRIP_LIMIT);
                }
                assertThat(child.isAlive()).isTrue();
                assertThatThrownBy(() -> store.dropContainer("pong")).as("a container another process writes")
                        .isInstanceOf(ViewStoreException.class).hasMessageContaining("already written");
                assertThat(store.containers()).containsExactly("ping", "pong");
            } finally {
                ChildJvm.stop(child);
            }
        }
    }
}
