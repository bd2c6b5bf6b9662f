package io.dataplatform.views.spi;

import java.util.Objects;

/**
 * A whole document as a backend returns it, with the version of exactly these bytes.
 *
 * @param bytes the document; owned by the receiver
 * @param version the version the bytes belong to
 */
public record StoredDocument(byte[] bytes, DocumentVersion version) {

    public StoredDocument {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(version, "version");
    }
}
