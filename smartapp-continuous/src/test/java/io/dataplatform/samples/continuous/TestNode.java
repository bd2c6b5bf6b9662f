package io.dataplatform.samples.continuous;

import io.dataplatform.node.Node;
import io.dataplatform.node.NodeConfig;

import java.nio.file.Path;

/** A real node in the test's JVM, on a free port, over a test directory. */
public final class TestNode {
    private TestNode() {
    }

    public static Node start(Path storage) {
        return Node.start(NodeConfig.defaults().withStoreLocation(storage.toString()).withPort(0).withEventLoops(2));
    }
}
