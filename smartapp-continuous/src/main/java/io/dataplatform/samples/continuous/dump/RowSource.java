package io.dataplatform.samples.continuous.dump;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The rows of one dump file, each encoded as its event (the store's binary form) on demand. Two
 * kinds: {@link FastDumpReader} (a byte scanner for the dumps' one-row-per-line form, falling
 * back to StAX for what it does not recognise) and {@link StaxRowSource} (a StAX parser
 * throughout); both yield the same rows and events (FastDumpReaderTest). Not thread-safe; the byte
 * count may be read from another thread.
 */
public interface RowSource extends AutoCloseable {

    /** The rows of {@code file}, a dump file of {@code kind}, read as {@code parser} says. */
    static RowSource open(Path file, DumpFile kind, XmlParser parser) throws IOException {
        return parser == XmlParser.FAST ? new FastDumpReader(file, kind) : new StaxRowSource(file, kind, parser);
    }

    /** Moves to the next row (unreadable ones included); false at the end of the file. */
    boolean next() throws IOException;

    /** The current row's number in its file, from 1, counting unreadable rows. */
    long number();

    /** The line of the current row (of the XML error for an unreadable one), or -1 if unknown. */
    long line();

    /**
     * Encodes the current row's event into {@code out} (from {@link EventBuffer#lastStart()});
     * returns its length.
     *
     * @throws BadRowException if the row cannot become an event (unreadable XML, a required
     *                         attribute missing, a number or date that does not parse)
     */
    int encode(EventBuffer out) throws BadRowException;

    /** Bytes of the file consumed so far (read ahead by up to a buffer). */
    long bytesRead();

    @Override
    void close() throws IOException;
}
