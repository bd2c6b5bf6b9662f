package io.dataplatform.samples.continuous.dump;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one dump file in the StackExchange layout: an XML declaration, a root element
 * ({@code posts}, {@code comments}, {@code users}), one {@code <row .../>} per line, attribute
 * values escaped as the published dumps escape them ({@code &amp; &lt; &gt; &quot;}, and line
 * breaks and tabs as character references). Owns the file until {@link #close}; not thread-safe.
 */
public final class RowWriter implements AutoCloseable {
    private final BufferedWriter out;
    private final String root;
    private final StringBuilder line = new StringBuilder(4096);
    private long rows;

    public RowWriter(Path file, String root) throws IOException {
        this.out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16);
        this.root = root;
        out.write("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<" + root + ">\n");
    }

    /** Starts a row; add attributes, then {@link #endRow()}. */
    public RowWriter row() {
        line.setLength(0);
        line.append("  <row");
        return this;
    }

    public RowWriter attribute(String name, long value) {
        line.append(' ').append(name).append("=\"").append(value).append('"');
        return this;
    }

    /** Adds an attribute unless {@code value} is null (optional attributes are left out, as in the dumps). */
    public RowWriter attribute(String name, String value) {
        if (value == null) {
            return this;
        }
        line.append(' ').append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> line.append("&amp;");
                case '<' -> line.append("&lt;");
                case '>' -> line.append("&gt;");
                case '"' -> line.append("&quot;");
                case '\n' -> line.append("&#xA;");
                case '\r' -> line.append("&#xD;");
                case '\t' -> line.append("&#x9;");
                default -> line.append(c);
            }
        }
        line.append('"');
        return this;
    }

    public void endRow() throws IOException {
        line.append(" />\n");
        out.append(line);
        rows++;
    }

    public long rows() {
        return rows;
    }

    @Override
    public void close() throws IOException {
        out.write("</" + root + ">\n");
        out.close();
    }
}
