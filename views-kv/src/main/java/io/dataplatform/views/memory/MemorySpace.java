package io.dataplatform.views.memory;

import io.dataplatform.views.spi.StoredDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** The containers of one memory location, living as long as the JVM (if named) or the backend. Thread-safe. */
final class MemorySpace {

    private static final Map<String, MemorySpace> NAMED = new ConcurrentHashMap<>();

    /** One container's state. */
    static final class Container {
        final ConcurrentSkipListMap<String, StoredDocument> documents = new ConcurrentSkipListMap<>();
        final AtomicLong versions = new AtomicLong();
        final AtomicBoolean writerHeld = new AtomicBoolean();
        final List<byte[]> journal = new ArrayList<>();
        volatile byte[] checkpoint;
    }

    private final Map<String, Container> containers = new ConcurrentHashMap<>();

    static MemorySpace named(String name) {
        return NAMED.computeIfAbsent(name, ignored -> new MemorySpace());
    }

    Container container(String name) {
        return containers.computeIfAbsent(name, ignored -> new Container());
    }
}
