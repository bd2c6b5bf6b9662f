package io.dataplatform.store.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.specialized.AppendBlobClient;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.AppendBlobCreateOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.BlobClientBase;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CommitPointerFormat;
import io.dataplatform.store.CorruptLogException;
import io.dataplatform.store.IncarnationFormat;
import io.dataplatform.store.StoreId;

import java.io.IOException;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The names of one store's blobs in its container (docs/storage-format.md, "Blobs"), and clients
 * for them:
 * <pre>
 * &lt;store&gt;/chunks/&lt;20-digit start position&gt;.dat   append blobs: the chunks, records as in files
 * &lt;store&gt;/commit.chk                              block blob: the commit pointer (544 bytes), leased by the writer
 * &lt;store&gt;/incarnation                             block blob: the incarnation (33 bytes)
 * </pre>
 * Holds no state of the store; thread-safe.
 */
final class StoreBlobs {

    static final String CHUNKS = "chunks/";
    static final String INCARNATION = IncarnationFormat.NAME;
    private static final int NAME_DIGITS = 20;
    private static final String SUFFIX = ".dat";

    private final StoreId store;
    private final BlobAccount account;
    private final BlobContainerClient container;
    private final String prefix;

    StoreBlobs(StoreId store, BlobAccount account) {
        this.store = store;
        this.account = account;
        this.container = account.stores();
        this.prefix = store.value() + "/";
    }

    StoreId store() {
        return store;
    }

    BlobAccount account() {
        return account;
    }

    /** Every blob of the store starts with this: {@code <store>/}. */
    String prefix() {
        return prefix;
    }

    /** The chunk's blob name relative to the store: {@code chunks/00000000000000000000.dat}. */
    static String chunkName(long start) {
        return CHUNKS + fileName(start);
    }

    /** The chunk's name alone, as errors name chunks. */
    static String fileName(long start) {
        String digits = Long.toString(start);
        return "0".repeat(NAME_DIGITS - digits.length()) + digits + SUFFIX;
    }

    /** The start of the chunk named {@code name} (relative to the store), or -1 if it is no chunk name. */
    static long chunkStart(String name) {
        if (!name.startsWith(CHUNKS) || name.length() != CHUNKS.length() + NAME_DIGITS + SUFFIX.length()
                || !name.endsWith(SUFFIX)) {
            return -1;
        }
        String digits = name.substring(CHUNKS.length(), CHUNKS.length() + NAME_DIGITS);
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    AppendBlobClient chunk(long start) {
        return container.getBlobClient(prefix + chunkName(start)).getAppendBlobClient();
    }

    BlockBlobClient pointer() {
        return container.getBlobClient(prefix + CommitPointerFormat.NAME).getBlockBlobClient();
    }

    BlockBlobClient incarnation() {
        return container.getBlobClient(prefix + INCARNATION).getBlockBlobClient();
    }

    /** The full name of a blob of the store, for messages. */
    String describe(String relative) {
        return container.getBlobContainerName() + "/" + prefix + relative;
    }

    /** The store's chunks: start position to blob size, in order. One listing (a request per 5,000 chunks). */
    NavigableMap<Long, Long> listChunks() throws IOException {
        return account.call(store.value(), "listing the chunks of " + describe(CHUNKS), () -> {
            NavigableMap<Long, Long> found = new TreeMap<>();
            for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(prefix + CHUNKS), null)) {
                long start = chunkStart(item.getName().substring(prefix.length()));
                if (start >= 0) {
                    found.put(start, item.getProperties().getContentLength());
                }
            }
            return found;
        });
    }

    /** Every blob of the store, name (relative to the store) to size. */
    Map<String, Long> listAll() throws IOException {
        return account.call(store.value(), "listing " + describe(""), () -> {
            Map<String, Long> found = new TreeMap<>();
            for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
                found.put(item.getName().substring(prefix.length()), item.getProperties().getContentLength());
            }
            return found;
        });
    }

    /** The pointer blob's bytes, or null if there is none. */
    byte[] readPointer() throws IOException {
        return readSmall(pointer(), CommitPointerFormat.NAME);
    }

    /**
     * The store's incarnation, or null if there is no incarnation blob.
     *
     * @throws CorruptLogException if the blob does not hold an incarnation
     */
    String readIncarnation() throws IOException {
        byte[] content = readSmall(incarnation(), INCARNATION);
        if (content == null) {
            return null;
        }
        String id = IncarnationFormat.decode(content);
        if (id == null) {
            throw new CorruptLogException(store.value(), INCARNATION, 0, "the incarnation blob " + describe(INCARNATION)
                    + " does not hold 32 lowercase hexadecimal characters and a line feed");
        }
        return id;
    }

    /** Writes a new incarnation unless one is there; returns the one that is there afterwards. */
    String createIncarnation() throws IOException {
        String id = IncarnationFormat.newId();
        if (createIfAbsent(incarnation(), INCARNATION, IncarnationFormat.encode(id))) {
            return id;
        }
        return readIncarnation();
    }

    /** Writes the pointer of an empty store unless a pointer blob is there; true if it wrote it. */
    boolean createPointer() throws IOException {
        return createIfAbsent(pointer(), CommitPointerFormat.NAME, CommitPointerFormat.initial(CommitPointer.EMPTY));
    }

    /** Creates an empty chunk blob unless one is there; true if it created it. */
    boolean createChunk(long start) throws IOException {
        AppendBlobCreateOptions create = new AppendBlobCreateOptions()
                .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*"));
        try {
            account.call(store.value(), "creating chunk " + fileName(start),
                    () -> chunk(start).createWithResponse(create, null, Context.NONE));
            return true;
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 409 || e.getStatusCode() == 412) {
                return false;
            }
            throw e;
        }
    }

    /** Blocks committed to a chunk's blob (0 if it is not there). */
    int blockCount(long start) throws IOException {
        try {
            Integer count = account.call(store.value(), "reading the properties of chunk " + fileName(start),
                    () -> chunk(start).getProperties().getCommittedBlockCount());
            return count == null ? 0 : count;
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return 0;
            }
            throw e;
        }
    }

    private boolean createIfAbsent(BlockBlobClient blob, String name, byte[] content) throws IOException {
        BlockBlobSimpleUploadOptions upload = new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(content))
                .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*"));
        try {
            account.call(store.value(), "creating " + describe(name), () -> blob.uploadWithResponse(upload, null, Context.NONE));
            return true;
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 409 || e.getStatusCode() == 412) {
                return false;
            }
            throw e;
        }
    }

    private byte[] readSmall(BlobClientBase blob, String name) throws IOException {
        try {
            return account.call(store.value(), "reading " + describe(name), () -> BlobTransfers.readAll(blob));
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return null;
            }
            throw e;
        }
    }
}
