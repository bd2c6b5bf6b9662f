package io.dataplatform.store;

import java.time.Duration;

/**
 * Settings of a storage engine. Build with {@link #defaults()} and the {@code with*} methods.
 *
 * @param chunkSize          bytes after which a chunk rolls (a record never spans chunks; a record
 *                           larger than this gets a chunk of its own)
 * @param maxEventSize       largest event data accepted, bytes
 * @param durability         when appends are acknowledged
 * @param writerThreads      threads shared by the writers of all stores
 * @param maxQueuedBytes     bytes of appends a store's writer queue may hold before answering
 *                           {@link QueueFullException}
 * @param maxOpenStores      stores that may hold open file handles at once; idle ones beyond it
 *                           close their files
 * @param maxWriteBuffer     bytes a writer encodes before writing them out
 * @param pointerSyncInterval how stale the commit pointer on disk may get between commits that
 *                           sync it anyway (it bounds the scan a recovery makes)
 */
public record EngineOptions(long chunkSize, int maxEventSize, Durability durability, int writerThreads,
                            long maxQueuedBytes, int maxOpenStores, int maxWriteBuffer,
                            Duration pointerSyncInterval) {

    public static final long DEFAULT_CHUNK_SIZE = 256L * 1024 * 1024;
    public static final int DEFAULT_MAX_EVENT_SIZE = 2 * 1024 * 1024;

    public EngineOptions {
        require(chunkSize >= 1024, "chunkSize must be at least 1024 bytes");
        require(maxEventSize >= 0 && maxEventSize <= RecordFormat.MAX_DATA_SIZE,
                "maxEventSize must be between 0 and " + RecordFormat.MAX_DATA_SIZE);
        require(durability != null, "durability is required");
        require(writerThreads >= 1 && writerThreads <= 1024, "writerThreads must be between 1 and 1024");
        require(maxQueuedBytes >= RecordFormat.recordSize(NewEvent.MAX_STREAM_ID_BYTES, maxEventSize),
                "maxQueuedBytes must hold at least one largest event");
        require(maxOpenStores >= 1, "maxOpenStores must be at least 1");
        require(maxWriteBuffer >= 64 * 1024, "maxWriteBuffer must be at least 64 KiB");
        require(pointerSyncInterval != null && !pointerSyncInterval.isNegative(), "pointerSyncInterval must be >= 0");
    }

    public static EngineOptions defaults() {
        return new EngineOptions(DEFAULT_CHUNK_SIZE, DEFAULT_MAX_EVENT_SIZE, Durability.SYNC,
                Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), 64L * 1024 * 1024, 256,
                4 * 1024 * 1024, Duration.ofSeconds(1));
    }

    public EngineOptions withChunkSize(long value) {
        return new EngineOptions(value, maxEventSize, durability, writerThreads, maxQueuedBytes, maxOpenStores,
                maxWriteBuffer, pointerSyncInterval);
    }

    public EngineOptions withMaxEventSize(int value) {
        long queued = Math.max(maxQueuedBytes, 2L * RecordFormat.recordSize(NewEvent.MAX_STREAM_ID_BYTES, value));
        return new EngineOptions(chunkSize, value, durability, writerThreads, queued, maxOpenStores,
                maxWriteBuffer, pointerSyncInterval);
    }

    public EngineOptions withDurability(Durability value) {
        return new EngineOptions(chunkSize, maxEventSize, value, writerThreads, maxQueuedBytes, maxOpenStores,
                maxWriteBuffer, pointerSyncInterval);
    }

    public EngineOptions withWriterThreads(int value) {
        return new EngineOptions(chunkSize, maxEventSize, durability, value, maxQueuedBytes, maxOpenStores,
                maxWriteBuffer, pointerSyncInterval);
    }

    public EngineOptions withMaxQueuedBytes(long value) {
        return new EngineOptions(chunkSize, maxEventSize, durability, writerThreads, value, maxOpenStores,
                maxWriteBuffer, pointerSyncInterval);
    }

    public EngineOptions withMaxOpenStores(int value) {
        return new EngineOptions(chunkSize, maxEventSize, durability, writerThreads, maxQueuedBytes, value,
                maxWriteBuffer, pointerSyncInterval);
    }

    public EngineOptions withMaxWriteBuffer(int value) {
        return new EngineOptions(chunkSize, maxEventSize, durability, writerThreads, maxQueuedBytes, maxOpenStores,
                value, pointerSyncInterval);
    }

    public EngineOptions withPointerSyncInterval(Duration value) {
        return new EngineOptions(chunkSize, maxEventSize, durability, writerThreads, maxQueuedBytes, maxOpenStores,
                maxWriteBuffer, value);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
