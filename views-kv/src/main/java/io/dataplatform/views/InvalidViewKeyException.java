package io.dataplatform.views;

/**
 * A view key or container name breaks a rule; the message names the rule. Nothing was read or
 * written. Bad input, so it is an {@link IllegalArgumentException}.
 */
public class InvalidViewKeyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String rule;

    public InvalidViewKeyException(String key, String rule) {
        this("view key", key, rule);
    }

    /** @param what what was refused, e.g. "view key" or "container name" */
    public InvalidViewKeyException(String what, String key, String rule) {
        super("invalid " + what + " '" + (key == null ? "null" : ViewStoreException.printable(key)) + "': " + rule);
        this.key = key;
        this.rule = rule;
    }

    /** The refused key or container name, as given (may be null). */
    public String key() {
        return key;
    }

    /** The broken rule, in words. */
    public String rule() {
        return rule;
    }
}
