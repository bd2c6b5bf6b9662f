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
        /** Whether a writer created it (a reader's lookup makes the object, not the container). */
        volatile boolean exists;

        /** Empties the container; the caller holds {@link #writerHeld}. Versions go on counting: no token comes back. */
        void clear() {
            exists = false;
            documents.clear();
            checkpoint = null;
            synchronized (journal) {
                journal.clear();
            }
            versions.incrementAndGet();
        }
    }

    private final Map<String, Container> containers = new ConcurrentHashMap<>();

    static MemorySpace named(String name) {
        return NAMED.computeIfAbsent(name, ignored -> new MemorySpace());
    }

    Container container(String name) {
        return containers.computeIfAbsent(name, ignored -> new Container());
    }

    /** The names of the containers a writer created. */
    List<String> names() {
        return containers.entrySet().stream().filter(entry -> entry.getValue().exists).map(Map.Entry::getKey).toList();
    }
}
