package io.dataplatform.views.azure;

/**
 * The blob names of one view container {@code <name>} in the Azure container of the location:
 * <pre>
 * &lt;name&gt;/views/&lt;key&gt;.json   one block blob per view: the key as it is, then ".json"
 * &lt;name&gt;/checkpoint.json     the checkpoint
 * &lt;name&gt;/generation          "&lt;writer id&gt;-&lt;count&gt;": rewritten after views change
 * &lt;name&gt;/journal             the journal: frames u32 length, u32 CRC32C, payload; rewritten whole
 * &lt;name&gt;/writer.lock         empty; the writer holds a lease on it
 * &lt;name&gt;/dropped             present only while a drop deletes the container's blobs
 * </pre>
 * A key needs no escaping: Azure blob names take any Unicode text up to 1,024 characters, and the
 * SDK encodes it in the URL; the validated key (at most 512 UTF-8 bytes, no control characters,
 * no {@code .} or {@code ..} segments) fits with room to spare. The {@code .json} suffix keeps a
 * name from ending with a dot (Azure drops trailing dots), and since the mapping is the key
 * itself, the blobs of the keys starting with a prefix are exactly those whose names start with
 * {@code <name>/views/<prefix>} (except that a prefix reaching into the suffix, {@code a.js}, also
 * matches {@code a.json}: listings filter the decoded keys). Azure allows at most 254 {@code /}
 * segments in a name: a key of more than {@value #MAX_KEY_SEGMENTS} segments is refused. Stateless.
 */
final class BlobNames {

    static final String SUFFIX = ".json";
    static final int MAX_KEY_SEGMENTS = 250;

    private final String base;

    BlobNames(String container) {
        this.base = container + "/";
    }

    /** Every blob of the container starts with this. */
    String all() {
        return base;
    }

    String views() {
        return base + "views/";
    }

    String view(String key) throws AzureFailure {
        String limit = keyLimit(key);
        if (limit != null) {
            throw AzureFailure.permanent("key '" + key + "': " + limit);
        }
        return views() + key + SUFFIX;
    }

    /** Why a valid key cannot be a blob name here, or null if it can. */
    static String keyLimit(String key) {
        int segments = 1;
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) == '/') {
                segments++;
            }
        }
        return segments <= MAX_KEY_SEGMENTS ? null : "the azure backend stores keys of at most " + MAX_KEY_SEGMENTS
                + " '/'-separated segments (a limit of Azure blob names); this one has " + segments;
    }

    /** The key of the view blob {@code blobName}, or null if it is not one. */
    String key(String blobName) {
        String views = views();
        if (!blobName.startsWith(views) || !blobName.endsWith(SUFFIX) || blobName.length() <= views.length() + SUFFIX.length()) {
            return null;
        }
        return blobName.substring(views.length(), blobName.length() - SUFFIX.length());
    }

    String checkpoint() {
        return base + "checkpoint.json";
    }

    String generation() {
        return base + "generation";
    }

    String journal() {
        return base + "journal";
    }

    String writerLock() {
        return base + "writer.lock";
    }

    String dropped() {
        return base + "dropped";
    }
}
