package io.dataplatform.samples.continuous.importer;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The first event of every batch the importer appends (stream {@value #STREAM}, JSON): which
 * rows of which dump file the batch holds. Committed atomically with its rows, it is the import's
 * progress: a restarted import continues after the highest {@code to} of each file, and a
 * projection skips a batch whose {@code from} is below the {@code to} it has already applied (a
 * batch stored twice because the client retried an append whose answer was lost).
 *
 * @param file the dump file's name ({@code Posts.xml})
 * @param size the file's size in bytes, so that a different file of the same name is refused
 * @param from rows of the file before this batch (rows counted from 0, bad ones included)
 * @param to rows of the file up to the end of this batch
 * @param bad bad rows of the file up to the end of this batch
 * @param done whether this batch ends the file
 */
public record BatchHeader(String file, long size, long from, long to, long bad, boolean done) {

    public static final String STREAM = "import";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public byte[] toJson() {
        try {
            return MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static BatchHeader fromJson(byte[] json) {
        try {
            return MAPPER.readValue(json, BatchHeader.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not an import batch header: " + e.getMessage(), e);
        }
    }
}
