package io.dataplatform.views;

/**
 * A view store operation failed: an IO error that was not transient or stayed after the retries,
 * a damaged document, or a container already written by another process. The message names the
 * container and, where one is involved, the key.
 */
public class ViewStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String container;
    private final String key;

    public ViewStoreException(String container, String key, String message, Throwable cause) {
        super(describe(container, key, message), cause);
        this.container = container;
        this.key = key;
    }

    public ViewStoreException(String container, String key, String message) {
        this(container, key, message, null);
    }

    /** The container involved; null if the failure concerns the whole store. */
    public String container() {
        return container;
    }

    /** The key involved; null if the failure does not concern one key. */
    public String key() {
        return key;
    }

    private static String describe(String container, String key, String message) {
        StringBuilder text = new StringBuilder("view store");
        if (container != null) {
            text.append(", container '").append(container).append('\'');
        }
        if (key != null) {
            text.append(", key '").append(printable(key)).append('\'');
        }
        return text.append(": ").append(message).toString();
    }

    /** Keys may hold control characters (that is why they were refused): show them escaped. */
    static String printable(String key) {
        StringBuilder text = new StringBuilder();
        int shown = Math.min(key.length(), 200);
        for (int i = 0; i < shown; i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                text.append(String.format("\\u%04x", (int) c));
            } else {
                text.append(c);
            }
        }
        if (shown < key.length()) {
            text.append("...(").append(key.length()).append(" chars)");
        }
        return text.toString();
    }
}
