package io.dataplatform.views.azure;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobDownloadContentResponse;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The few blob operations the backend makes, on one Azure container, each bounded by a timeout and
 * failing with an {@link AzureFailure}: whole block blobs read, written (optionally on a condition
 * on their ETag) and deleted, and names listed by prefix. Thread-safe (the SDK clients are).
 */
final class BlobAccess {

    /** What a blob held, and the ETag of exactly those bytes. */
    record Blob(byte[] bytes, String etag) {
    }

    /** A write condition: the blob has this ETag, or ({@link #ABSENT}) does not exist; null: none. */
    record Expect(String etag) {
        static final Expect ABSENT = new Expect(null);
    }

    /** An ETag condition was not met: another writer changed the blob (or an earlier try of this write did). */
    static final class ConditionFailed extends AzureFailure {
        private static final long serialVersionUID = 1L;

        ConditionFailed(String message, Throwable cause) {
            super(message, cause, false);
        }
    }

    static ConditionFailed conflict(String message, ConditionFailed cause) {
        return new ConditionFailed(message, cause);
    }

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int PAGE = 1_000;

    private final BlobContainerClient container;

    BlobAccess(BlobContainerClient container) {
        this.container = container;
    }

    BlobContainerClient client() {
        return container;
    }

    BlobClient blob(String name) {
        return container.getBlobClient(name);
    }

    /** The blob and its ETag, or null if there is none. */
    Blob get(String name) throws AzureFailure {
        try {
            BlobDownloadContentResponse response = blob(name).downloadContentWithResponse(null, null, TIMEOUT, Context.NONE);
            return new Blob(response.getValue().toBytes(), response.getDeserializedHeaders().getETag());
        } catch (RuntimeException e) {
            if (AzureFailure.status(e) == 404) {
                return null;
            }
            throw AzureFailure.of("reading blob " + name, e);
        }
    }

    /** The blob's ETag without reading it, or null if there is none. */
    String etag(String name) throws AzureFailure {
        try {
            return blob(name).getPropertiesWithResponse(null, TIMEOUT, Context.NONE).getValue().getETag();
        } catch (RuntimeException e) {
            if (AzureFailure.status(e) == 404) {
                return null;
            }
            throw AzureFailure.of("reading the properties of blob " + name, e);
        }
    }

    /**
     * Replaces the blob with {@code bytes} (one request: atomic) if {@code expect} holds, and returns
     * its new ETag.
     *
     * @throws ConditionFailed if {@code expect} does not hold
     */
    String put(String name, byte[] bytes, Expect expect, String contentType) throws AzureFailure {
        BlobRequestConditions conditions = new BlobRequestConditions();
        if (expect == Expect.ABSENT) {
            conditions.setIfNoneMatch("*");
        } else if (expect != null) {
            conditions.setIfMatch(expect.etag());
        }
        BlockBlobSimpleUploadOptions options = new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(bytes))
                .setRequestConditions(conditions)
                .setHeaders(new BlobHttpHeaders().setContentType(contentType));
        try {
            return blob(name).getBlockBlobClient().uploadWithResponse(options, TIMEOUT, Context.NONE).getValue().getETag();
        } catch (RuntimeException e) {
            int status = AzureFailure.status(e);
            if (expect != null && (status == 412 || status == 409)) {
                throw new ConditionFailed("blob " + name + " was changed by another writer (its ETag is not "
                        + (expect == Expect.ABSENT ? "absent" : expect.etag()) + ")", e);
            }
            throw AzureFailure.of("writing blob " + name, e);
        }
    }

    /** Deletes the blob (if it has ETag {@code etag}, unless null); false if there was none. */
    boolean delete(String name, String etag, String leaseId) throws AzureFailure {
        BlobRequestConditions conditions = new BlobRequestConditions().setIfMatch(etag).setLeaseId(leaseId);
        try {
            blob(name).deleteWithResponse(null, conditions, TIMEOUT, Context.NONE);
            return true;
        } catch (RuntimeException e) {
            int status = AzureFailure.status(e);
            if (status == 404) {
                return false;
            }
            if (etag != null && status == 412) {
                throw new ConditionFailed("blob " + name + " was changed by another writer (its ETag is not " + etag + ")", e);
            }
            throw AzureFailure.of("deleting blob " + name, e);
        }
    }

    /** The names of the blobs starting with {@code prefix}, lazily, {@value #PAGE} per request. */
    Stream<String> names(String prefix) throws AzureFailure {
        try {
            return container.listBlobs(new ListBlobsOptions().setPrefix(prefix).setMaxResultsPerPage(PAGE), TIMEOUT)
                    .stream().map(item -> item.getName());
        } catch (RuntimeException e) {
            throw AzureFailure.of("listing blobs under " + prefix, e);
        }
    }

    /** The first-level names ({@code name/}) of the container, lazily. */
    Stream<String> topLevel() throws AzureFailure {
        try {
            return container.listBlobsByHierarchy("/", new ListBlobsOptions().setMaxResultsPerPage(PAGE), TIMEOUT)
                    .stream().filter(item -> Boolean.TRUE.equals(item.isPrefix())).map(item -> item.getName());
        } catch (RuntimeException e) {
            throw AzureFailure.of("listing the view containers", e);
        }
    }
}
