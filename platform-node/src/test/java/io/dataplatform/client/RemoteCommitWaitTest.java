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
 * ({@code GET /stores/{store}/commit?after=&waitMs=}). The node caps one poll at 40 s (its idle
 * timeout is 45 s), longer than the contract's 30 s await: a waiter the node's commit does not wake
 * fails. A second node with a 2 s idle timeout shows a wait that outlasts the node's cap.
 */
class RemoteCommitWaitTest extends CommitWaitContract {

    @TempDir
    static Path dir;
    static Node node;

    @BeforeAll
    static void startNode() {
        node = Node.start(NodeConfig.defaults().withStoreLocation(dir.toString()).withPort(0).withEventLoops(2)
                .withIdleTimeout(Duration.ofSeconds(45)));
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
    void aWaitLongerThanOnePollOutlastsTheNodesCap(@TempDir Path other) throws Exception {
        // idle timeout 2 s: the node answers each poll within 1.5 s, so this wait takes several
        try (Node shortPolls = Node.start(NodeConfig.defaults().withStoreLocation(other.toString()).withPort(0)
                .withEventLoops(1).withIdleTimeout(Duration.ofSeconds(2)))) {
            StoreId store = StoreId.of("short-polls");
            PlatformClient client = PlatformClient.remote(shortPolls.endpoint(), store);
            long after = client.append("s", new byte[]{'x'}).next();
            try (StoreReader reader = client.remoteReader()) {
                assertThat(get(reader.commitAfter(after, Duration.ofSeconds(4))).position())
                        .as("timed out with the pointer unchanged").isEqualTo(after);
                var wait = reader.commitAfter(after, Duration.ofSeconds(25));
                long next = client.append("s", new byte[]{'x'}).next();
                assertThat(get(wait).position()).isEqualTo(next);
            }
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
