package io.dataplatform.client;

import io.dataplatform.node.Node;
import io.dataplatform.node.NodeConfig;
import io.dataplatform.store.CommitWaitContract;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.StoreReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Commit waits of remote readers: long polls of a real node's commit pointer
 * ({@code GET /stores/{store}/commit?after=&waitMs=}). The node's idle timeout is short, so that
 * its cap on one poll (below the idle timeout) runs out during a wait and the reader polls again.
 */
class RemoteCommitWaitTest extends CommitWaitContract {

    @TempDir
    static Path dir;
    static Node node;

    @BeforeAll
    static void startNode() {
        node = Node.start(NodeConfig.defaults().withStoreLocation(dir.toString()).withPort(0).withEventLoops(2)
                .withIdleTimeout(Duration.ofSeconds(2)));
    }

    @AfterAll
    static void stopNode() {
        node.close();
    }

    @Override
    protected long append(StoreId store) {
        return PlatformClient.remote(node.endpoint(), store).append("s", new byte[]{'x'}).next();
    }

    @Override
    protected StoreReader open(StoreId store) {
        return PlatformClient.remote(node.endpoint(), store).remoteReader();
    }

    @Test
    void aWaitLongerThanOnePollOutlastsTheNodesCap() throws Exception {
        StoreId store = newStore();
        try (StoreReader reader = open(store)) {
            long after = reader.commitPointer().position();
            // the node answers each poll within 1.5 s (idle timeout 2 s): this wait needs several
            var wait = reader.commitAfter(after, Duration.ofSeconds(4));
            assertThat(get(wait).position()).as("timed out with the pointer unchanged").isEqualTo(after);
        }
    }

    @Test
    void anUnknownStoreFailsTheWait() {
        try (StoreReader reader = open(StoreId.of("never-written"))) {
            assertThatThrownBy(() -> get(reader.commitAfter(0, FOREVER))).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(StoreNotFoundException.class);
        }
    }
}
