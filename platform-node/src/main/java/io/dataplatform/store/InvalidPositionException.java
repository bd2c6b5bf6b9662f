package io.dataplatform.store;

/** A read position that is negative, past the commit pointer, or not on a record boundary. */
public final class InvalidPositionException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    private final long position;

    public InvalidPositionException(String store, long position, String message) {
        super(store, message);
        this.position = position;
    }

    public long position() {
        return position;
    }
}
