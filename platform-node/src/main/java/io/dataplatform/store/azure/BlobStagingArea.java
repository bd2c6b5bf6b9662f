package io.dataplatform.store.azure;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlockBlobOutputStreamOptions;
import io.dataplatform.store.InvalidInputException;
import io.dataplatform.store.StagedBatch;
import io.dataplatform.store.StagingArea;
import io.dataplatform.store.log.StagingLocations;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * The staging area of an Azure location: block blobs in the container {@code <container>-staging},
 * each named by its staging location (a relative path of plain names, {@link StagingLocations}).
 * A client writes a batch as one block blob (staged in blocks as it streams, committed when it is
 * closed); the node's engine reads it front to back and deletes it once its import is committed.
 * Thread-safe.
 */
final class BlobStagingArea implements StagingArea {

    private final BlobAccount account;

    BlobStagingArea(BlobAccount account) {
        this.account = account;
    }

    @Override
    public String describe() {
        return account.staging().getBlobContainerName() + " (" + account.location() + ")";
    }

    @Override
    public StagedBatch batch(String location) {
        String name = name(location);
        BlobClient blob = account.staging().getBlobClient(name);
        boolean there;
        try {
            there = account.call(null, "looking up staged batch " + name, blob::exists);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (!there) {
            throw StagingLocations.refused(location, "no staged batch is there");
        }
        return new Batch(this, location, blob);
    }

    @Override
    public WritableByteChannel create(String location) throws IOException {
        BlobClient blob = account.staging().getBlobClient(name(location));
        account.ensureContainers(null, true);
        return Channels.newChannel(blob.getBlockBlobClient().getBlobOutputStream(new BlockBlobOutputStreamOptions()));
    }

    @Override
    public boolean delete(String location) throws IOException {
        BlobClient blob = account.staging().getBlobClient(name(location));
        return account.call(null, "deleting staged batch " + blob.getBlobName(), blob::deleteIfExists);
    }

    @Override
    public boolean contains(StagedBatch batch) {
        return batch instanceof Batch blob && blob.area == this;
    }

    /** The blob name of {@code location}, checked against the rules of every staging area. */
    private static String name(String location) {
        return String.join("/", StagingLocations.names(location));
    }

    /** A staged block blob; consuming it deletes it. */
    private record Batch(BlobStagingArea area, String location, BlobClient blob) implements StagedBatch {

        @Override
        public long size() throws IOException {
            try {
                return area.account.call(null, "reading the size of staged batch " + blob.getBlobName(),
                        () -> blob.getProperties().getBlobSize());
            } catch (BlobStorageException e) {
                throw BlobAccount.notFound(e) ? gone() : e;
            }
        }

        @Override
        public ReadableByteChannel open() throws IOException {
            try {
                java.io.InputStream in = area.account.call(null, "opening staged batch " + blob.getBlobName(),
                        () -> blob.openInputStream());
                return Channels.newChannel(in);
            } catch (BlobStorageException e) {
                throw BlobAccount.notFound(e) ? gone() : e;
            }
        }

        @Override
        public void consume() throws IOException {
            area.account.call(null, "deleting staged batch " + blob.getBlobName(), blob::deleteIfExists);
        }

        private InvalidInputException gone() {
            return new InvalidInputException(null, "no staged batch at '" + location + "' (already imported?)");
        }
    }
}
