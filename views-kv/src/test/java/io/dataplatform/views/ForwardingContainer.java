package io.dataplatform.views;

import io.dataplatform.views.spi.BackendContainer;
import io.dataplatform.views.spi.DocumentVersion;
import io.dataplatform.views.spi.StoredDocument;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

/** A backend container passing every call to another: tests override the calls they observe or break. */
class ForwardingContainer implements BackendContainer {

    final BackendContainer delegate;

    ForwardingContainer(BackendContainer delegate) {
        this.delegate = delegate;
    }

    @Override
    public StoredDocument get(String key) throws IOException {
        return delegate.get(key);
    }

    @Override
    public DocumentVersion version(String key) throws IOException {
        return delegate.version(key);
    }

    @Override
    public DocumentVersion put(String key, byte[] document) throws IOException {
        return delegate.put(key, document);
    }

    @Override
    public boolean delete(String key) throws IOException {
        return delegate.delete(key);
    }

    @Override
    public Stream<String> keys(String prefix) throws IOException {
        return delegate.keys(prefix);
    }

    @Override
    public byte[] readCheckpoint() throws IOException {
        return delegate.readCheckpoint();
    }

    @Override
    public void writeCheckpoint(byte[] document) throws IOException {
        delegate.writeCheckpoint(document);
    }

    @Override
    public void appendJournal(byte[] entry) throws IOException {
        delegate.appendJournal(entry);
    }

    @Override
    public List<byte[]> readJournal() throws IOException {
        return delegate.readJournal();
    }

    @Override
    public long journalBytes() {
        return delegate.journalBytes();
    }

    @Override
    public void syncDocuments() throws IOException {
        delegate.syncDocuments();
    }

    @Override
    public void dropJournal() throws IOException {
        delegate.dropJournal();
    }

    @Override
    public DocumentVersion generation() throws IOException {
        return delegate.generation();
    }

    @Override
    public void publishGeneration() throws IOException {
        delegate.publishGeneration();
    }

    @Override
    public boolean documentsDurableOnPut() {
        return delegate.documentsDurableOnPut();
    }

    @Override
    public boolean commitsAtomically() {
        return delegate.commitsAtomically();
    }

    @Override
    public java.util.Map<String, DocumentVersion> commit(java.util.Map<String, byte[]> changes, byte[] checkpoint)
            throws IOException {
        return delegate.commit(changes, checkpoint);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
