package io.dataplatform.views.spi;

import java.util.Objects;

/**
 * An opaque token that changes whenever the document under a key is replaced, like an HTTP
 * ETag: file identity + modification time + size for files, the ETag for blobs, a counter in
 * memory. Cheap to obtain without reading the document; compared only for equality.
 *
 * @param token the backend's token, never null
 */
public record DocumentVersion(String token) {

    public DocumentVersion {
        Objects.requireNonNull(token, "token");
    }
}
