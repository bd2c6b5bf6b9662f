package io.dataplatform.store;

/**
 * A {@link StoreReader} whose batches are read from files (the file backend): it names the file
 * range that the batch it returned last came from. The range holds committed records, which never
 * change, until the store is deleted.
 */
public interface FileBackedReader extends StoreReader {

    /** The file range of the records of the batch returned by the last read; null if that batch was empty. */
    RecordFileRange lastBatchRange();
}
