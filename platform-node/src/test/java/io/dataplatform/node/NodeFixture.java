package io.dataplatform.node;

import io.dataplatform.store.EngineOptions;

import java.nio.file.Path;

/** Starts a real node in this JVM on a free port over a temporary directory. */
final class NodeFixture {
    private NodeFixture() {
    }

    static NodeConfig config(Path dir) {
        return NodeConfig.defaults().withStoreLocation(dir.toString()).withPort(0).withEventLoops(2);
    }

    static Node start(Path dir) {
        return Node.start(config(dir));
    }

    static Node start(NodeConfig config, EngineOptions options) {
        return Node.start(config, options);
    }
}
