package io.dataplatform.samples.continuous.dump;

/** A dump row that cannot become an event: a required attribute missing, a number or date that does not parse. */
public final class BadRowException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadRowException(String message) {
        super(message, null, false, false);
    }
}
