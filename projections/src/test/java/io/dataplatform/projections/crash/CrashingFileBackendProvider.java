package io.dataplatform.projections.crash;

import io.dataplatform.views.file.FileBackendProvider;
import io.dataplatform.views.spi.BackendContainer;
import io.dataplatform.views.spi.DocumentVersion;
import io.dataplatform.views.spi.StoredDocument;
import io.dataplatform.views.spi.ViewBackend;
import io.dataplatform.views.spi.ViewBackendProvider;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

/**
 * Test backend {@code crashing-file}: the file backend, except that the process halts (as
 * {@code kill -9}: no shutdown hooks, nothing flushed) on the checkpoint write that follows the
 * {@code dp.crash.checkpoint}-th batch of view writes: views written, checkpoint not. This is the
 * moment where the original sample's counters counted twice.
 */
public final class CrashingFileBackendProvider implements ViewBackendProvider {

    public static final String NAME = "crashing-file";
    public static final int HALT_STATUS = 99;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean accepts(String location) {
        return false; // chosen by name only
    }

    @Override
    public ViewBackend open(String location) throws IOException {
        ViewBackend file = new FileBackendProvider().open(location);
        int crashAt = Integer.getInteger("dp.crash.checkpoint", Integer.MAX_VALUE);
        return new ViewBackend() {
            @Override
            public BackendContainer openContainer(String name, boolean writer) throws IOException {
                return new Crashing(file.openContainer(name, writer), crashAt);
            }

            @Override
            public List<String> containers() throws IOException {
                return file.containers();
            }

            @Override
            public void dropContainer(String name) throws IOException {
                file.dropContainer(name);
            }

            @Override
            public boolean isTransient(IOException failure) {
                return file.isTransient(failure);
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
    }

    private static final class Crashing implements BackendContainer {
        private final BackendContainer file;
        private final int crashAt;
        private int viewsPut;
        private int checkpoints;

        Crashing(BackendContainer file, int crashAt) {
            this.file = file;
            this.crashAt = crashAt;
        }

        @Override
        public DocumentVersion put(String key, byte[] document) throws IOException {
            viewsPut++;
            return file.put(key, document);
        }

        @Override
        public void writeCheckpoint(byte[] document) throws IOException {
            if (viewsPut > 0 && ++checkpoints >= crashAt) {
                System.err.println("halting between writing " + viewsPut + " view(s) and the checkpoint");
                Runtime.getRuntime().halt(HALT_STATUS);
            }
            viewsPut = 0;
            file.writeCheckpoint(document);
        }

        @Override
        public StoredDocument get(String key) throws IOException {
            return file.get(key);
        }

        @Override
        public DocumentVersion version(String key) throws IOException {
            return file.version(key);
        }

        @Override
        public boolean delete(String key) throws IOException {
            return file.delete(key);
        }

        @Override
        public Stream<String> keys(String prefix) throws IOException {
            return file.keys(prefix);
        }

        @Override
        public byte[] readCheckpoint() throws IOException {
            return file.readCheckpoint();
        }

        @Override
        public void appendJournal(byte[] entry) throws IOException {
            file.appendJournal(entry);
        }

        @Override
        public List<byte[]> readJournal() throws IOException {
            return file.readJournal();
        }

        @Override
        public long journalBytes() {
            return file.journalBytes();
        }

        @Override
        public void syncDocuments() throws IOException {
            file.syncDocuments();
        }

        @Override
        public void dropJournal() throws IOException {
            file.dropJournal();
        }

        @Override
        public DocumentVersion generation() throws IOException {
            return file.generation();
        }

        @Override
        public void publishGeneration() throws IOException {
            file.publishGeneration();
        }

        @Override
        public boolean documentsDurableOnPut() {
            return file.documentsDurableOnPut();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
