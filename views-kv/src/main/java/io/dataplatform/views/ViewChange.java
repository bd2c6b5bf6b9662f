package io.dataplatform.views;

import java.util.Objects;

/**
 * One change of a {@link ViewContainer#commit commit}: a whole new document for a key, or its
 * deletion. Documents are whole: there is no partial update, which is what makes re-applying a
 * change after a crash harmless.
 *
 * <p>The array is not copied: do not modify it after handing it over. Equality of the record is
 * by array identity.
 *
 * @param key the view key (validated by the container on commit)
 * @param document the new document bytes, or {@code null} to delete the view
 */
public record ViewChange(String key, byte[] document) {

    public ViewChange {
        Objects.requireNonNull(key, "key");
    }

    /** Writes {@code document} (raw bytes, usually UTF-8 JSON) under {@code key}. */
    public static ViewChange write(String key, byte[] document) {
        return new ViewChange(key, Objects.requireNonNull(document, "document"));
    }

    /** Deletes the view under {@code key}; deleting an absent view is not an error. */
    public static ViewChange delete(String key) {
        return new ViewChange(key, null);
    }

    /** Whether this change deletes its view. */
    public boolean isDelete() {
        return document == null;
    }
}
