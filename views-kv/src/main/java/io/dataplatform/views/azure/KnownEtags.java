package io.dataplatform.views.azure;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ETags a writer last saw or wrote for its blobs (or that a blob was absent), so that its
 * next write of a blob is conditional on it: a write fails instead of overwriting what another
 * writer put there. Bounded ({@value #MAX} blobs, least recently used first out); a blob it no
 * longer remembers is written without a condition. Thread-safe.
 */
final class KnownEtags {

    static final int MAX = 100_000;
    /** Marks a blob seen absent. */
    static final String ABSENT = "";

    private final Map<String, String> etags = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX;
        }
    };

    /** The condition for the next write of {@code blob}: its ETag, absent, or null (none known). */
    synchronized BlobAccess.Expect expect(String blob) {
        String etag = etags.get(blob);
        return etag == null ? null : etag.isEmpty() ? BlobAccess.Expect.ABSENT : new BlobAccess.Expect(etag);
    }

    /** Records the ETag of {@code blob}, or null for a blob that is absent. */
    synchronized void seen(String blob, String etag) {
        etags.put(blob, etag == null ? ABSENT : etag);
    }

    /** Records what a read found, unless a write recorded something meanwhile (a read may race a write). */
    synchronized void read(String blob, String etag) {
        etags.putIfAbsent(blob, etag == null ? ABSENT : etag);
    }

    synchronized void clear() {
        etags.clear();
    }
}
