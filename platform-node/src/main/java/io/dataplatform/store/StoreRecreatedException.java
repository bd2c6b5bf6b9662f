package io.dataplatform.store;

/**
 * A reader resumed with an incarnation the store no longer has: the store was deleted and created
 * again since the caller saved its position, so that position points into a different log. Carries
 * the expected and the actual incarnation (the actual one is null when the store has none yet: a
 * store written before incarnations existed, not yet opened by a node of this release).
 */
public final class StoreRecreatedException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final String expected;
    private final String actual;

    public StoreRecreatedException(String store, String expected, String actual) {
        super(store, "store '" + store + "' has incarnation " + (actual == null ? "(none)" : actual) + ", not "
                + expected + ": it was deleted and created again since; positions saved against " + expected
                + " do not apply to it");
        this.expected = expected;
        this.actual = actual;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
