package io.dataplatform.views.azure;

import io.dataplatform.rules.StorageLocation;
import io.dataplatform.views.spi.ViewBackend;
import io.dataplatform.views.spi.ViewBackendProvider;
import java.io.IOException;

/**
 * The {@code azure} view backend: the location is an Azure Storage connection string, optionally
 * followed by {@code |container} (default {@value #DEFAULT_CONTAINER}), e.g.
 * {@code UseDevelopmentStorage=true|dp-views}; each view container is a set of blobs in that Azure
 * container ({@link AzureContainer} says which). Needs {@code com.azure:azure-storage-blob} on the
 * class path: views-kv declares it optional, so an application choosing this backend declares it
 * itself. Creates the Azure container if needed.
 */
public final class AzureBackendProvider implements ViewBackendProvider {

    /** The Azure container of a location that names none. */
    public static final String DEFAULT_CONTAINER = "dp-views";

    @Override
    public String name() {
        return "azure";
    }

    @Override
    public boolean accepts(String location) {
        return StorageLocation.is(location, StorageLocation.Kind.AZURE);
    }

    @Override
    public ViewBackend open(String location) throws IOException {
        try {
            Class.forName("com.azure.storage.blob.BlobServiceClient", false, AzureBackendProvider.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IOException("the azure view backend needs com.azure:azure-storage-blob on the class path"
                    + " (an optional dependency of views-kv: declare it in the application)", e);
        }
        StorageLocation parsed;
        try {
            parsed = StorageLocation.parse(location);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (parsed.kind() != StorageLocation.Kind.AZURE) {
            throw new IOException("the location '" + parsed + "' is not an Azure connection string"
                    + " (e.g. UseDevelopmentStorage=true|" + DEFAULT_CONTAINER + ")");
        }
        return AzureBackend.open(parsed, parsed.container() == null ? DEFAULT_CONTAINER : parsed.container());
    }
}
