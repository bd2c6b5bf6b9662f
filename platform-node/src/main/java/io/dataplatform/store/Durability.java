package io.dataplatform.store;

/** When an append is acknowledged. */
public enum Durability {
    /** After its records are synced to stable storage (the default). */
    SYNC,
    /** After its records are written to the operating system; a machine crash may lose them. */
    NONE
}
