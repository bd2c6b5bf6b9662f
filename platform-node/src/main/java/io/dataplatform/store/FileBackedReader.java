package io.dataplatform.store;

/**
 * A {@link StoreReader} whose records lie in files (the file backend), which can also find the
 * records of a read without reading them: for answers sent straight from the file.
 */
public interface FileBackedReader extends StoreReader {

    /**
     * The committed records that {@link #read read(from, maxEvents, maxBytes)} would return, found
     * by walking their length and version fields through a mapping of the chunk file: their bytes
     * are neither copied nor checksummed here (the first record's checksum is checked, so that a
     * position inside a record is not taken for a boundary; whoever receives the records verifies
     * every checksum, as the client library does). Returns null, having opened nothing, when there
     * are fewer than {@code minBytes} committed bytes to answer, or when anything looks wrong: a
     * length or version out of place, a record larger than {@code maxBytes}, a chunk file gone or
     * damaged. {@link #read} then answers, and reports any problem precisely.
     *
     * @param minBytes the smallest answer worth finding this way; smaller ones are better read
     */
    LocatedRecords locate(long from, int maxEvents, int maxBytes, long minBytes);
}
