package io.dataplatform.store;

/**
 * Input that breaks a rule of the platform: a malformed store id, stream id, event, position or
 * staging location. Nothing was written. The message names the broken rule.
 */
public class InvalidInputException extends StoreException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String store, String message) {
        super(store, message);
    }
}
