package io.dataplatform.views.azure;

import io.dataplatform.views.spi.BackendContainer;
import io.dataplatform.views.spi.DocumentVersion;
import io.dataplatform.views.spi.StoredDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One view container as blobs in an Azure container, laid out as {@link BlobNames} says: one block
 * blob per view (the JSON document itself), the checkpoint, the generation, the journal
 * ({@link JournalBlob}) and the writer's lease ({@link WriterLease}). A view's version is its ETag.
 * Every put is durable when Azure answers, so commits write through: journal entry, views,
 * checkpoint, journal emptied ({@link #documentsDurableOnPut()}).
 * <p>
 * A writer's writes are conditional on the ETag it last saw for the blob ({@link KnownEtags}), and
 * every write first checks that its lease is held: a writer that lost the container fails instead
 * of overwriting another's views. A write refused by its condition whose blob already holds exactly
 * the bytes meant (an earlier try succeeded, its answer lost) counts as done.
 *
 * <p>Thread-safety: reads from any thread; document writes from one thread at a time, journal
 * writes from one thread at a time, possibly alongside document writes (they share no blob).
 */
final class AzureContainer implements BackendContainer {

    private static final String JSON = "application/json";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Requests in flight at once for a commit of several views. */
    static final int PARALLEL_REQUESTS = 16;

    private final BlobAccess blobs;
    private final BlobNames names;
    private final String name;
    private final ExecutorService pool;
    /** Null for a reader; so are the fields below. */
    private final WriterLease lease;
    private final JournalBlob journal;
    private final KnownEtags etags;
    private final String writerId;
    private long generations;
    private volatile boolean changed = true;

    private AzureContainer(BlobAccess blobs, String name, WriterLease lease, ExecutorService pool) {
        this.blobs = blobs;
        this.pool = pool;
        this.names = new BlobNames(name);
        this.name = name;
        this.lease = lease;
        this.journal = lease == null ? null : new JournalBlob(blobs, names.journal());
        this.etags = lease == null ? null : new KnownEtags();
        this.writerId = lease == null ? null : Long.toHexString(RANDOM.nextLong());
    }

    static AzureContainer openReader(BlobAccess blobs, String name) {
        return new AzureContainer(blobs, name, null, null);
    }

    /** Takes the lease, finishes a drop a crash interrupted, and takes the journal over from any earlier writer. */
    static AzureContainer openWriter(BlobAccess blobs, String account, String name, ExecutorService pool) throws IOException {
        WriterLease lease = WriterLease.take(blobs, account, name);
        try {
            AzureBackend.finishInterruptedDrop(blobs, name, lease, false);
            AzureContainer container = new AzureContainer(blobs, name, lease, pool);
            container.journal.takeOver();
            return container;
        } catch (IOException | RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    @Override
    public StoredDocument get(String key) throws IOException {
        String blob = names.view(key);
        BlobAccess.Blob found = blobs.get(blob);
        if (etags != null) {
            etags.read(blob, found == null ? null : found.etag());
        }
        return found == null ? null : new StoredDocument(found.bytes(), new DocumentVersion(found.etag()));
    }

    @Override
    public String keyLimit(String key) {
        return BlobNames.keyLimit(key);
    }

    @Override
    public DocumentVersion version(String key) throws IOException {
        String etag = blobs.etag(names.view(key));
        return etag == null ? null : new DocumentVersion(etag);
    }

    @Override
    public DocumentVersion put(String key, byte[] document) throws IOException {
        String etag = write(names.view(key), document, JSON);
        changed = true;
        return new DocumentVersion(etag);
    }

    @Override
    public boolean delete(String key) throws IOException {
        writer();
        String blob = names.view(key);
        BlobAccess.Expect expect = etags.expect(blob);
        boolean existed;
        try {
            existed = blobs.delete(blob, expect == null || expect == BlobAccess.Expect.ABSENT ? null : expect.etag(), null);
        } catch (BlobAccess.ConditionFailed changedMeanwhile) {
            if (blobs.etag(blob) != null) {
                throw BlobAccess.conflict("view blob " + blob + " was changed by another writer: this one lost the container",
                        changedMeanwhile);
            }
            existed = true; // an earlier try deleted it, its answer lost
        }
        etags.seen(blob, null);
        changed = true;
        return existed;
    }

    /**
     * Writes the documents {@value #PARALLEL_REQUESTS} requests at a time: the keys are cut into as
     * many slices, each written in order by one thread of the backend's pool; waits for all of them.
     */
    @Override
    public Map<String, DocumentVersion> putAll(Map<String, byte[]> documents) throws IOException {
        writer();
        List<Map.Entry<String, byte[]>> all = new ArrayList<>(documents.entrySet());
        int slices = Math.min(PARALLEL_REQUESTS, all.size());
        Map<String, DocumentVersion> versions = new ConcurrentHashMap<>();
        List<Future<?>> running = new ArrayList<>(slices);
        for (int slice = 0; slice < slices; slice++) {
            int first = slice;
            running.add(pool.submit(() -> {
                for (int i = first; i < all.size(); i += slices) {
                    Map.Entry<String, byte[]> document = all.get(i);
                    if (document.getValue() == null) {
                        delete(document.getKey());
                    } else {
                        versions.put(document.getKey(), put(document.getKey(), document.getValue()));
                    }
                }
                return null;
            }));
        }
        // Waited for whole, even by an interrupted caller: every request is bounded by its timeout,
        // and a write abandoned half-way could come after a commit point, where the container
        // would refuse commits until reopened. The interrupt status is set again afterwards.
        IOException failure = null;
        boolean interrupted = false;
        for (Future<?> slice : running) {
            while (true) {
                try {
                    slice.get();
                } catch (ExecutionException e) {
                    IOException cause = e.getCause() instanceof IOException io ? io
                            : e.getCause() instanceof RuntimeException runtime ? AzureFailure.of("writing views", runtime)
                            : new IOException("writing views failed: " + e.getCause(), e.getCause());
                    if (failure == null || isTransient(failure) && !isTransient(cause)) {
                        failure = cause; // a failure no retry mends wins: the core must not repeat the call
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    continue;
                }
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
        return versions;
    }

    private static boolean isTransient(IOException failure) {
        return failure instanceof AzureFailure azure && azure.isTransient();
    }

    @Override
    public Stream<String> keys(String prefix) throws IOException {
        return blobs.names(names.views() + prefix).map(names::key).filter(Objects::nonNull).filter(key -> key.startsWith(prefix));
    }

    @Override
    public byte[] readCheckpoint() throws IOException {
        BlobAccess.Blob found = blobs.get(names.checkpoint());
        if (etags != null) {
            etags.read(names.checkpoint(), found == null ? null : found.etag());
        }
        return found == null ? null : found.bytes();
    }

    @Override
    public void writeCheckpoint(byte[] document) throws IOException {
        write(names.checkpoint(), document, JSON);
    }

    @Override
    public DocumentVersion generation() throws IOException {
        BlobAccess.Blob found = blobs.get(names.generation());
        return found == null ? null : new DocumentVersion(new String(found.bytes(), StandardCharsets.UTF_8));
    }

    @Override
    public void publishGeneration() throws IOException {
        writer();
        if (!changed) {
            return;
        }
        changed = false;
        try {
            lease.check();
            blobs.put(names.generation(), (writerId + "-" + (++generations)).getBytes(StandardCharsets.UTF_8), null, "text/plain");
        } catch (IOException | RuntimeException e) {
            changed = true;
            throw e;
        }
    }

    @Override
    public void appendJournal(byte[] entry) throws IOException {
        writer();
        lease.check();
        journal.append(entry);
    }

    @Override
    public List<byte[]> readJournal() throws IOException {
        writer();
        return journal.read();
    }

    @Override
    public long journalBytes() {
        return journal == null ? 0 : journal.bytes();
    }

    /** Nothing to do: a put is durable when Azure answers. */
    @Override
    public void syncDocuments() {
    }

    @Override
    public void dropJournal() throws IOException {
        writer();
        lease.check();
        journal.drop();
    }

    @Override
    public boolean documentsDurableOnPut() {
        return true;
    }

    @Override
    public void close() {
        if (lease != null) {
            lease.close();
        }
    }

    /** Writes {@code blob} on the condition of its known ETag; an earlier unseen success of the same bytes counts. */
    private String write(String blob, byte[] document, String contentType) throws IOException {
        writer();
        lease.check();
        BlobAccess.Expect expect = etags.expect(blob);
        String etag;
        try {
            etag = blobs.put(blob, document, expect, contentType);
        } catch (BlobAccess.ConditionFailed changedMeanwhile) {
            BlobAccess.Blob now = blobs.get(blob);
            if (now == null || !Arrays.equals(now.bytes(), document)) {
                throw BlobAccess.conflict("blob " + blob + " was changed by another writer: this one lost the container",
                        changedMeanwhile);
            }
            etag = now.etag();
        }
        etags.seen(blob, etag);
        return etag;
    }

    private void writer() throws IOException {
        if (lease == null) {
            throw new IOException("container '" + name + "' is open for reading only");
        }
    }
}
