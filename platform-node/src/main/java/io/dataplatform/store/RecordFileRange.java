package io.dataplatform.store;

import java.nio.file.Path;

/**
 * Where the records of a batch lie in a file: {@code length} bytes from {@code offset} of
 * {@code file}, exactly the bytes of {@link EventBatch#rawRecords()}. Lets the node send a batch
 * from the file to a socket without copying it through the JVM ({@code sendfile}).
 */
public record RecordFileRange(Path file, long offset, long length) {
}
