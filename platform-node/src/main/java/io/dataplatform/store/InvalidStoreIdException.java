package io.dataplatform.store;

/** A store id that breaks the naming rule; the message says which rule. */
public final class InvalidStoreIdException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    public InvalidStoreIdException(String value, String brokenRule) {
        super(null, "invalid store id '" + value + "': " + brokenRule);
    }
}
