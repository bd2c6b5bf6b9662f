package io.dataplatform.store;

/**
 * The answer to an append: where its first record starts, the position after its last record,
 * the store version of its last event, how many events it held, and whether it was synced to
 * disk before this answer ({@code false} only for stores running with {@link Durability#NONE}).
 */
public record AppendResult(long position, long next, long version, int count, boolean durable) {
}
