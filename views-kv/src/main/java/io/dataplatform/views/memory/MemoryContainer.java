package io.dataplatform.views.memory;

import io.dataplatform.views.spi.BackendContainer;
import io.dataplatform.views.spi.DocumentVersion;
import io.dataplatform.views.spi.StoredDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One container in memory: documents in a sorted map, versions from a counter. Every write is
 * "durable" at once (nothing can be lost but the whole JVM), so the journal is dropped after each
 * commit. Documents are copied in and out. Thread-safe.
 */
final class MemoryContainer implements BackendContainer {

    private final MemorySpace.Container state;
    private final boolean writer;
    private boolean closed;

    MemoryContainer(MemorySpace.Container state, boolean writer) {
        this.state = state;
        this.writer = writer;
    }

    @Override
    public StoredDocument get(String key) {
        StoredDocument document = state.documents.get(key);
        return document == null ? null : new StoredDocument(document.bytes().clone(), document.version());
    }

    @Override
    public DocumentVersion version(String key) {
        StoredDocument document = state.documents.get(key);
        return document == null ? null : document.version();
    }

    @Override
    public DocumentVersion put(String key, byte[] document) {
        DocumentVersion version = new DocumentVersion(Long.toString(state.versions.incrementAndGet()));
        state.documents.put(key, new StoredDocument(document.clone(), version));
        return version;
    }

    @Override
    public boolean delete(String key) {
        boolean existed = state.documents.remove(key) != null;
        state.versions.incrementAndGet(); // a new generation
        return existed;
    }

    /** The version counter: every put and delete moves it on, so it changes with every write. */
    @Override
    public DocumentVersion generation() {
        return new DocumentVersion("generation-" + state.versions.get());
    }

    @Override
    public Stream<String> keys(String prefix) {
        return state.documents.tailMap(prefix).keySet().stream().takeWhile(key -> key.startsWith(prefix));
    }

    @Override
    public byte[] readCheckpoint() {
        byte[] checkpoint = state.checkpoint;
        return checkpoint == null ? null : checkpoint.clone();
    }

    @Override
    public void writeCheckpoint(byte[] document) {
        state.checkpoint = document.clone();
    }

    @Override
    public void appendJournal(byte[] entry) {
        synchronized (state.journal) {
            state.journal.add(entry.clone());
        }
    }

    @Override
    public List<byte[]> readJournal() {
        synchronized (state.journal) {
            return new ArrayList<>(state.journal);
        }
    }

    @Override
    public long journalBytes() {
        synchronized (state.journal) {
            return state.journal.stream().mapToLong(entry -> entry.length).sum();
        }
    }

    @Override
    public void syncDocuments() {
    }

    @Override
    public void dropJournal() {
        synchronized (state.journal) {
            state.journal.clear();
        }
    }

    @Override
    public boolean documentsDurableOnPut() {
        return true;
    }

    @Override
    public synchronized void close() {
        if (writer && !closed) {
            state.writerHeld.set(false);
        }
        closed = true;
    }
}
