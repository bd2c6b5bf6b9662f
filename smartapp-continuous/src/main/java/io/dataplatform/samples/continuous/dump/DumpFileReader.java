package io.dataplatform.samples.continuous.dump;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Streams the {@code <row>} elements of one dump file with a StAX parser: memory stays flat
 * whatever the file's size. Broken XML does not end the file: the row on the line of the error
 * is reported as unreadable, and reading resumes at the next line (the dumps hold one row per
 * line) with a fresh parser. Owns the file's input stream until {@link #close}; not thread-safe
 * (the byte count may be read from another thread).
 */
public final class DumpFileReader implements AutoCloseable {
    private static final int BUFFER = 1 << 16;
    private static final int MAX_RESYNCS = 10_000;

    private final Path file;
    private final XMLInputFactory factory;
    private final DumpRow row = new DumpRow();
    private final long size;
    private CountingInputStream bytes;
    private XMLStreamReader xml;
    private String root;
    private long rows;
    private long lineBase;  // lines before the current parser's input (after a resync)
    private int resyncs;
    private boolean ended;

    public DumpFileReader(Path file, XmlParser parser) throws IOException {
        this.file = file;
        this.factory = parser.factory();
        this.size = Files.size(file);
        open(0, null);
    }

    /**
     * Reads {@code file} from byte {@code offset}, the start of line {@code lineBase + 1}, inside
     * the root element {@code root} already opened before it, {@code rows} rows having been read
     * before it (for {@link FastDumpReader}, handing over the rest of a file).
     */
    DumpFileReader(Path file, XMLInputFactory factory, long offset, long lineBase, String root, long rows)
            throws IOException {
        this.file = file;
        this.factory = factory;
        this.size = Files.size(file);
        this.lineBase = lineBase;
        this.root = root;
        this.rows = rows;
        open(offset, root);
    }

    public Path file() {
        return file;
    }

    /** The file's size in bytes. */
    public long size() {
        return size;
    }

    /** Bytes read from the file so far (the parser reads ahead up to 64 KiB). */
    public long bytesRead() {
        return bytes.count();
    }

    /** Rows returned so far, unreadable ones included. */
    public long rows() {
        return rows;
    }

    /** The next row, or null at the end of the file. The row is valid until the next call. */
    public DumpRow next() throws IOException {
        while (!ended) {
            try {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = xml.getLocalName();
                    if (root == null) {
                        root = name;
                    } else if (name.equals("row")) {
                        row.reset(++rows, lineBase + xml.getLocation().getLineNumber());
                        for (int i = 0, n = xml.getAttributeCount(); i < n; i++) {
                            row.add(xml.getAttributeLocalName(i), xml.getAttributeValue(i));
                        }
                        return row;
                    }
                } else if (event == XMLStreamConstants.END_DOCUMENT) {
                    ended = true;
                }
            } catch (XMLStreamException e) {
                return resync(e);
            }
        }
        return null;
    }

    /** Reports the row on the error's line as unreadable and restarts the parser on the next line. */
    private DumpRow resync(XMLStreamException e) throws IOException {
        int errorLine = e.getLocation() == null ? -1 : e.getLocation().getLineNumber();
        row.reset(++rows, errorLine < 0 ? -1 : lineBase + errorLine);
        row.fail(e.getMessage() == null ? e.toString() : e.getMessage().replace('\n', ' '));
        closeParser();
        if (errorLine < 0 || ++resyncs > MAX_RESYNCS) {
            row.fail(row.error() + " (the rest of the file is skipped: " + (errorLine < 0
                    ? "the parser gave no line" : "more than " + MAX_RESYNCS + " broken rows") + ")");
            ended = true;
            return row;
        }
        long resumeLine = lineBase + errorLine + 1;
        long offset = offsetOfLine(resumeLine);
        if (offset < 0) {
            ended = true;
        } else {
            lineBase = resumeLine - 1;
            open(offset, root == null ? "dump" : root);
        }
        return row;
    }

    /** Byte offset where line {@code line} (from 1) starts, or -1 past the end. */
    private long offsetOfLine(long line) throws IOException {
        if (line <= 1) {
            return 0;
        }
        try (InputStream in = Files.newInputStream(file)) {
            long current = 1;
            long base = 0;
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n' && ++current == line) {
                        return base + i + 1 < size ? base + i + 1 : -1;
                    }
                }
                base += n;
            }
            return -1;
        }
    }

    private void open(long offset, String rootName) throws IOException {
        InputStream in = Files.newInputStream(file);
        in.skipNBytes(offset);
        bytes = new CountingInputStream(in, offset);
        InputStream source = new BufferedInputStream(bytes, BUFFER);
        if (rootName != null) {
            // a resumed parser needs a root element again; the file's own end tag closes it
            source = new SequenceInputStream(new ByteArrayInputStream(
                    ("<" + rootName + ">").getBytes(StandardCharsets.UTF_8)), source);
        }
        try {
            xml = factory.createXMLStreamReader(source);
        } catch (XMLStreamException e) {
            throw new IOException("cannot start reading " + file + " at byte " + offset + ": " + e.getMessage(), e);
        }
    }

    private void closeParser() throws IOException {
        try {
            xml.close();
        } catch (XMLStreamException ignored) {
            // the stream below is closed next
        }
        bytes.close();
    }

    @Override
    public void close() throws IOException {
        closeParser();
    }
}
