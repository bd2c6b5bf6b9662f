package io.dataplatform.samples.continuous.dump;

import io.dataplatform.samples.continuous.events.EventCodec;

import java.io.IOException;
import java.nio.file.Path;

/** {@link RowSource} over a {@link DumpFileReader}: rows as StAX reads them, decoded by {@link DumpFile}, encoded by the binary codec. */
public final class StaxRowSource implements RowSource {
    private final DumpFileReader reader;
    private final DumpFile kind;
    private final EventCodec codec = EventCodec.binary();
    private DumpRow row;

    public StaxRowSource(Path file, DumpFile kind, XmlParser parser) throws IOException {
        this.reader = new DumpFileReader(file, parser);
        this.kind = kind;
    }

    @Override
    public boolean next() throws IOException {
        row = reader.next();
        return row != null;
    }

    @Override
    public long number() {
        return row.number();
    }

    @Override
    public long line() {
        return row.line();
    }

    @Override
    public int encode(EventBuffer out) throws BadRowException {
        return encodeRow(kind, row, codec, out);
    }

    /** Decodes {@code row} and copies its encoded event into {@code out}. */
    static int encodeRow(DumpFile kind, DumpRow row, EventCodec codec, EventBuffer out) throws BadRowException {
        int length = codec.encode(kind.decode(row));
        int at = out.begin(length);
        System.arraycopy(codec.array(), 0, out.array(), at, length);
        out.end(at + length);
        return length;
    }

    @Override
    public long bytesRead() {
        return reader.bytesRead();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
