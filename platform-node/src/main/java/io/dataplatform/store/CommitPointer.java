package io.dataplatform.store;

/**
 * The position up to which a store's log is committed, and the store version of the last
 * committed event (0 for an empty store). Readers never read past it.
 */
public record CommitPointer(long position, long version) {

    public static final CommitPointer EMPTY = new CommitPointer(0, 0);

    public CommitPointer {
        if (position < 0 || version < 0) {
            throw new IllegalArgumentException("negative commit pointer " + position + "/" + version);
        }
    }
}
