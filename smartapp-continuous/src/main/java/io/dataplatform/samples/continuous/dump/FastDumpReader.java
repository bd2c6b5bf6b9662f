package io.dataplatform.samples.continuous.dump;

import io.dataplatform.samples.continuous.events.EventCodec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a dump file as bytes, for its usual form: an XML declaration, the root element's start
 * tag, one {@code <row .../>} per line, the end tag. A row line is scanned once: the attributes the
 * file's event has are located (values without entities stay where they are in the read buffer,
 * others are decoded: the five predefined entities, character references, whitespace normalised
 * as XML does), unknown attributes are checked and skipped, and {@link #encode} writes the event's
 * binary form straight into the batch buffer from those bytes (numbers and dates parsed from
 * ASCII, strings copied as UTF-8): no strings, no event objects.
 *
 * <p>Whatever the scanner does not recognise as that form goes to a StAX parser (Aalto, {@link
 * XmlParser#FAST}), so messy files read as {@link StaxRowSource} reads them: a line (or a tag
 * spread over lines) holding anything else (several rows, an unknown entity, a raw {@code <} in a
 * value, a control character, malformed UTF-8, a duplicate attribute, an element that is not an
 * empty {@code row}) is parsed on its own inside the root element, broken XML there becoming an
 * unreadable row; anything unusual before the root element (another encoding, a UTF-16 byte-order
 * mark, a DOCTYPE) hands the whole file to StAX, and a line longer than 64 MiB the rest of it. A
 * row whose numbers or dates are not plain ASCII, or lacks a required attribute, is decoded by
 * {@link DumpFile#decode} from its attributes as strings, so that its event or its error is the one
 * StAX gives. The UTF-8 byte-order mark is skipped. Not thread-safe; the byte count may be read
 * from another thread.
 */
public final class FastDumpReader implements RowSource {
    private static final int BUFFER = 4 << 20;
    private static final int MAX_LINE = 64 << 20;
    private static final int SEGMENT_LINES = 1_000;

    // outcomes of the scanning steps (a position when >= 0)
    private static final int MORE = -1;   // the buffer ends before the line: read more and scan the line again
    private static final int OTHER = -2;  // not the usual form: StAX reads the line
    private static final int SPREAD = -3; // a tag goes on past the line's end: StAX reads the lines it spans

    // what the current row is
    private static final int FAST = 1;
    private static final int STAX = 2;

    /** Bytes a value's plain run stops at: quotes, '&', '<', control characters, bytes of multi-byte characters. */
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final boolean[] SPECIAL = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            SPECIAL[c] = c < 0x20 || c >= 0x80 || c == '"' || c == '\'' || c == '&' || c == '<';
        }
    }

    private static final int LONG = 0;
    private static final int INT = 1;
    private static final int DATE = 2;
    private static final int TEXT = 3;
    private static final int TAGS = 4;

    private final Path file;
    private final DumpFile kind;
    private final XMLInputFactory factory = XmlParser.FAST.factory();
    private final EventCodec codec = EventCodec.binary();
    private final FileChannel channel;
    private final ArrayDeque<DumpRow> pending = new ArrayDeque<>();

    // the layout of the file's event: attribute names, types, which are required
    private final byte type;
    private final String[] names;
    private final byte[][] nameBytes;
    /**
     * Each name's first eight bytes and last eight bytes as little-endian words (the first word
     * zero-padded for names shorter than eight): a name of up to 16 bytes is matched with two
     * word comparisons instead of a loop over its bytes.
     */
    private final long[] nameHead;
    private final long[] nameTail;
    private final int[] types;
    private final long required;

    private byte[] buf = new byte[BUFFER];
    private int pos;        // start of the next line to scan
    private int limit;      // end of the bytes read
    private long bufBase;   // file offset of buf[0]
    private boolean eof;
    private volatile long bytesRead;
    private long line = 1;  // line number at pos
    private long rows;
    private long staxRows;
    private String root;
    private boolean rootEnded;
    private boolean endReported;
    private boolean bom;
    private DumpFileReader handoff;

    // the current row
    private int current;
    private DumpRow stax;
    private long rowNumber;
    private long rowLine;
    private long present;   // bit i: attribute i of the layout is present
    private long inScratch; // bit i: its value was decoded into scratch
    private final int[] valueOff;
    private final int[] valueLen;
    private byte[] scratch = new byte[1 << 16];
    private int scratchLen;
    private int lastField = -1;
    private int[] unknownOff = new int[8];
    private int[] unknownLen = new int[8];
    private int unknowns;
    private int[] tagOff = new int[16];
    private int[] tagEnd = new int[16];

    public FastDumpReader(Path file, DumpFile kind) throws IOException {
        this.file = file;
        this.kind = kind;
        List<Object[]> layout = layout(kind);
        this.type = (byte) (kind == DumpFile.USERS ? 'U' : kind == DumpFile.POSTS ? 'P' : 'C');
        this.names = new String[layout.size()];
        this.nameBytes = new byte[layout.size()][];
        this.nameHead = new long[layout.size()];
        this.nameTail = new long[layout.size()];
        this.types = new int[layout.size()];
        long requiredBits = 0;
        for (int i = 0; i < names.length; i++) {
            names[i] = (String) layout.get(i)[0];
            nameBytes[i] = names[i].getBytes(StandardCharsets.US_ASCII);
            byte[] padded = Arrays.copyOf(nameBytes[i], Math.max(8, nameBytes[i].length));
            nameHead[i] = (long) WORDS.get(padded, 0) & headMask(nameBytes[i].length);
            nameTail[i] = (long) WORDS.get(padded, padded.length - 8);
            types[i] = (Integer) layout.get(i)[1];
            if ((Boolean) layout.get(i)[2]) {
                requiredBits |= 1L << i;
            }
        }
        this.required = requiredBits;
        this.valueOff = new int[names.length];
        this.valueLen = new int[names.length];
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            start();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * The attributes of each file's event in the order of the binary form ({@code BinaryEventCodec},
     * docs/samples.md): name, type, required. Optional ones get presence bits in this order; tags
     * are always written.
     */
    private static List<Object[]> layout(DumpFile kind) {
        return switch (kind) {
            case USERS -> List.of(f("Id", LONG, true), f("Reputation", INT, false), f("CreationDate", DATE, true),
                    f("DisplayName", TEXT, false), f("LastAccessDate", DATE, false), f("WebsiteUrl", TEXT, false),
                    f("Location", TEXT, false), f("AboutMe", TEXT, false), f("Views", INT, false),
                    f("UpVotes", INT, false), f("DownVotes", INT, false), f("AccountId", LONG, false));
            case POSTS -> List.of(f("Id", LONG, true), f("PostTypeId", INT, true), f("AcceptedAnswerId", LONG, false),
                    f("ParentId", LONG, false), f("CreationDate", DATE, true), f("Score", INT, false),
                    f("ViewCount", INT, false), f("Body", TEXT, false), f("OwnerUserId", LONG, false),
                    f("OwnerDisplayName", TEXT, false), f("LastEditorUserId", LONG, false),
                    f("LastEditorDisplayName", TEXT, false), f("LastEditDate", DATE, false),
                    f("LastActivityDate", DATE, false), f("Title", TEXT, false), f("Tags", TAGS, false),
                    f("AnswerCount", INT, false), f("CommentCount", INT, false), f("FavoriteCount", INT, false),
                    f("ClosedDate", DATE, false), f("CommunityOwnedDate", DATE, false), f("ContentLicense", TEXT, false));
            case COMMENTS -> List.of(f("Id", LONG, true), f("PostId", LONG, true), f("Score", INT, false),
                    f("Text", TEXT, false), f("CreationDate", DATE, true), f("UserId", LONG, false),
                    f("UserDisplayName", TEXT, false), f("ContentLicense", TEXT, false));
        };
    }

    private static Object[] f(String name, int type, boolean required) {
        return new Object[] {name, type, required};
    }

    private void start() throws IOException {
        while (limit < 4 && !eof) {
            fill();
        }
        if (limit >= 3 && (buf[0] & 0xFF) == 0xEF && (buf[1] & 0xFF) == 0xBB && (buf[2] & 0xFF) == 0xBF) {
            pos = 3;
            bom = true;
        } else if (limit >= 2 && (buf[0] == 0 || buf[1] == 0 || (buf[0] & 0xFF) == 0xFE || (buf[0] & 0xFF) == 0xFF)) {
            handOverAll(); // UTF-16 or UTF-32: StAX reads it
        }
    }

    @Override
    public boolean next() throws IOException {
        current = 0;
        while (true) {
            if (handoff != null) {
                DumpRow row = handoff.next();
                if (row == null) {
                    return false;
                }
                return setStax(row);
            }
            if (!pending.isEmpty()) {
                return setStax(pending.poll());
            }
            int outcome = scanLine();
            if (outcome == FAST) {
                return true;
            }
            if (outcome < 0) {
                return false;
            }
        }
    }

    /** Rows read by StAX so far (lines the scanner did not recognise, or all of a file handed over). */
    public long staxRows() {
        return staxRows;
    }

    private boolean setStax(DumpRow row) {
        staxRows++;
        stax = row;
        current = STAX;
        return true;
    }

    /** Scans from {@code pos}: FAST when a row was read, 0 when something else was consumed, -1 at the end. */
    private int scanLine() throws IOException {
        while (true) {
            int i = pos;
            while (i < limit && isSpace(buf[i])) {
                i++;
            }
            if (i + 8 > limit && !eof) {
                if (!fill()) {
                    return lineTooLong();
                }
                continue;
            }
            if (i >= limit) {
                return atEnd();
            }
            byte b = buf[i];
            if (b == '\n') {
                pos = i + 1;
                line++;
                return 0;
            }
            if (b != '<') {
                return root == null ? handOverAll() : segment(OTHER);
            }
            int outcome;
            if (root != null && !rootEnded && startsWith(i, "<row") && i + 4 < limit && buf[i + 4] == '\n') {
                outcome = SPREAD;
            } else if (root != null && !rootEnded && startsWith(i, "<row") && i + 4 < limit
                    && (isSpace(buf[i + 4]) || buf[i + 4] == '/')) {
                outcome = row(i + 4);
                if (outcome >= 0) {
                    rowNumber = ++rows;
                    rowLine = line;
                    if (outcome > 0 && buf[outcome - 1] == '\n') {
                        line++;
                    }
                    pos = outcome;
                    current = FAST;
                    return FAST;
                }
            } else {
                outcome = other(i);
                if (outcome >= 0) {
                    if (outcome > 0 && buf[outcome - 1] == '\n') {
                        line++;
                    }
                    pos = outcome;
                    return 0;
                }
            }
            if (outcome == MORE) {
                if (!fill()) {
                    return lineTooLong();
                }
                continue;
            }
            return root == null ? handOverAll() : segment(outcome);
        }
    }

    /** At the end of the bytes: the end, unless the root element was never closed (a bad row, as StAX reports it). */
    private int atEnd() throws IOException {
        pos = limit;
        if (root == null) {
            return handOverAll(); // no root element: StAX says what is wrong
        }
        if (!rootEnded && !endReported) {
            endReported = true;
            DumpRow row = new DumpRow();
            row.reset(++rows, line);
            row.fail("the file ends inside the root element <" + root + ">");
            pending.add(row);
            return 0;
        }
        return -1;
    }

    /**
     * A line that is not a row: the XML declaration (first), a comment, the root element's start
     * tag (once) or end tag. Returns the start of the next line, MORE, or OTHER.
     */
    private int other(int i) {
        int end;
        if (startsWith(i, "<?xml") && bufBase + i == (bom ? 3 : 0)) {
            end = find(i, "?>");
            if (end < 0) {
                return end;
            }
            String declaration = new String(buf, i, end - i, StandardCharsets.US_ASCII);
            int at = declaration.indexOf("encoding");
            if (at >= 0) {
                String rest = declaration.substring(at + 8).replace(" ", "").replace("=", "");
                if (rest.length() < 6 || !rest.substring(1, 6).equalsIgnoreCase("utf-8")
                        || (rest.length() > 6 && rest.charAt(6) != rest.charAt(0))) {
                    return OTHER; // another encoding: StAX reads the file
                }
            }
            return restOfLine(end + 2);
        }
        if (startsWith(i, "<!--")) {
            end = find(i + 4, "--");
            if (end == OTHER) {
                return SPREAD; // a comment over several lines: StAX reads them
            }
            if (end < 0) {
                return end;
            }
            if (end + 2 >= limit) {
                return eof ? OTHER : MORE;
            }
            return buf[end + 2] == '>' ? restOfLine(end + 3) : OTHER;
        }
        if (root == null) {
            int at = i + 1;
            while (at < limit && isNameByte(buf[at])) {
                at++;
            }
            int nameEnd = at;
            while (at < limit && isSpace(buf[at])) {
                at++;
            }
            if (at >= limit) {
                return eof ? OTHER : MORE;
            }
            if (nameEnd == i + 1 || buf[at] != '>' || !isNameStart(buf[i + 1])) {
                return OTHER;
            }
            int next = restOfLine(at + 1);
            if (next >= 0) {
                root = new String(buf, i + 1, nameEnd - i - 1, StandardCharsets.UTF_8);
            }
            return next;
        }
        if (!rootEnded && startsWith(i, "</" + root)) {
            int at = i + 2 + root.length();
            while (at < limit && isSpace(buf[at])) {
                at++;
            }
            if (at >= limit) {
                return eof ? OTHER : MORE;
            }
            if (buf[at] != '>') {
                return OTHER;
            }
            int next = restOfLine(at + 1);
            if (next >= 0) {
                rootEnded = true;
            }
            return next;
        }
        return OTHER;
    }

    /** Index of {@code text} from {@code i} on this line, or MORE / OTHER. */
    private int find(int i, String text) {
        byte first = (byte) text.charAt(0);
        for (int at = i; at < limit; at++) {
            byte b = buf[at];
            if (b == '\n') {
                return OTHER;
            }
            if (b == first && startsWith(at, text)) {
                return at;
            }
        }
        return eof ? OTHER : MORE;
    }

    /** After a construct: only spaces up to the line's end. The next line's start, or MORE / OTHER. */
    private int restOfLine(int i) {
        while (i < limit) {
            byte b = buf[i];
            if (b == '\n') {
                return i + 1;
            }
            if (!isSpace(b)) {
                return OTHER;
            }
            i++;
        }
        return eof ? limit : MORE;
    }

    /**
     * Scans a row's attributes from {@code i} (after {@code <row}) to its {@code />} and the end
     * of the line. Returns the next line's start, MORE, OTHER or SPREAD.
     */
    private int row(int i) {
        present = 0;
        inScratch = 0;
        scratchLen = 0;
        unknowns = 0;
        lastField = -1;
        boolean space = false;
        while (true) {
            if (i >= limit) {
                return eof ? OTHER : MORE;
            }
            byte b = buf[i];
            if (b == ' ' || b == '\t' || b == '\r') {
                space = true;
                i++;
                continue;
            }
            if (b == '/') {
                if (i + 1 >= limit) {
                    return eof ? OTHER : MORE;
                }
                if (buf[i + 1] != '>') {
                    return OTHER;
                }
                return restOfLine(i + 2);
            }
            if (b == '\n') {
                return SPREAD;
            }
            if (!space || !isNameStart(b)) {
                return OTHER; // '>' (a row with content), a missing space, a name StAX must judge
            }
            int nameStart = i++;
            while (i < limit && isNameByte(buf[i])) {
                i++;
            }
            int nameEnd = i;
            while (i < limit && isSpace(buf[i])) {
                i++;
            }
            if (i >= limit) {
                return eof ? OTHER : MORE;
            }
            if (buf[i] != '=') {
                return buf[i] == '\n' ? SPREAD : OTHER;
            }
            i++;
            while (i < limit && isSpace(buf[i])) {
                i++;
            }
            if (i >= limit) {
                return eof ? OTHER : MORE;
            }
            byte quote = buf[i];
            if (quote != '"' && quote != '\'') {
                return buf[i] == '\n' ? SPREAD : OTHER;
            }
            int field = field(nameStart, nameEnd - nameStart);
            int mark = scratchLen;
            i = value(i + 1, quote, field);
            if (i < 0) {
                return i;
            }
            if (field < 0) {
                scratchLen = mark; // an unknown attribute: checked, not kept
                if (!rememberUnknown(nameStart, nameEnd - nameStart)) {
                    return OTHER; // a duplicate: StAX reports it
                }
            } else {
                if ((present & (1L << field)) != 0) {
                    return OTHER; // a duplicate: StAX reports it
                }
                present |= 1L << field;
            }
            space = false;
        }
    }

    /** The layout index of the attribute named {@code buf[start, start + length)}, or -1. */
    private int field(int start, int length) {
        int n = nameBytes.length;
        // the words of the name as it stands in the buffer, when eight bytes can be read from its start
        boolean words = start + Math.max(8, length) <= buf.length;
        long head = words ? (long) WORDS.get(buf, start) & headMask(length) : 0;
        long tail = words && length >= 8 ? (long) WORDS.get(buf, start + length - 8) : 0;
        for (int k = 1; k <= n; k++) {
            int f = lastField + k;
            if (f >= n) {
                f -= n;
            }
            byte[] name = nameBytes[f];
            if (name.length != length) {
                continue;
            }
            boolean same = words
                    ? head == nameHead[f] && (length <= 8 || tail == nameTail[f]) && (length <= 16 || sameBytes(name, start))
                    : sameBytes(name, start);
            if (same) {
                lastField = f;
                return f;
            }
        }
        return -1;
    }

    /** The mask keeping the first {@code length} bytes of a little-endian word (all of it from eight on). */
    private static long headMask(int length) {
        return length >= 8 ? -1L : (1L << (8 * length)) - 1;
    }

    /** Whether {@code buf} holds {@code name} at {@code start} (a plain loop: names are short). */
    private boolean sameBytes(byte[] name, int start) {
        for (int k = name.length - 1; k >= 0; k--) {
            if (name[k] != buf[start + k]) {
                return false;
            }
        }
        return true;
    }

    private boolean rememberUnknown(int start, int length) {
        for (int k = 0; k < unknowns; k++) {
            if (unknownLen[k] == length && Arrays.equals(buf, unknownOff[k], unknownOff[k] + length, buf, start, start + length)) {
                return false;
            }
        }
        if (unknowns == unknownOff.length) {
            unknownOff = Arrays.copyOf(unknownOff, unknowns * 2);
            unknownLen = Arrays.copyOf(unknownLen, unknowns * 2);
        }
        unknownOff[unknowns] = start;
        unknownLen[unknowns++] = length;
        return true;
    }

    /**
     * Reads an attribute value from {@code i} (after its opening quote) to the closing quote and
     * records where its decoded bytes are (for field {@code field}, if not -1). Returns the index
     * after the closing quote, or MORE / OTHER / SPREAD.
     */
    private int value(int i, byte quote, int field) {
        int start = i;
        byte[] b = buf;
        int end = limit;
        boolean[] special = SPECIAL;
        while (i < end) {
            byte c = b[i];
            if (special[c & 0xFF]) {
                if (c == quote) {
                    if (field >= 0) {
                        valueOff[field] = start;
                        valueLen[field] = i - start;
                    }
                    return i + 1;
                }
                if (c != '"' && c != '\'') {
                    break; // '&', '<', a control character or a byte of a multi-byte character
                }
            }
            i++;
        }
        if (i >= end) {
            return eof ? OTHER : MORE;
        }
        // decoded, the rest of the value is never longer than the bytes left: make room once
        int from = scratchLen;
        int room = scratchLen + (end - start);
        if (room > scratch.length) {
            scratch = Arrays.copyOf(scratch, Math.max(scratch.length * 2, room));
        }
        byte[] out = scratch;
        int o = scratchLen;
        System.arraycopy(b, start, out, o, i - start);
        o += i - start;
        while (i < end) {
            byte c = b[i];
            if (!special[c & 0xFF] || (c != quote && (c == '"' || c == '\''))) {
                int run = i + 1;
                while (run < end && !special[b[run] & 0xFF]) {
                    run++;
                }
                System.arraycopy(b, i, out, o, run - i);
                o += run - i;
                i = run;
            } else if (c == quote) {
                scratchLen = o;
                if (field >= 0) {
                    inScratch |= 1L << field;
                    valueOff[field] = from;
                    valueLen[field] = o - from;
                }
                return i + 1;
            } else if (c == '&') {
                scratchLen = o;
                i = entity(i);
                if (i < 0) {
                    return i;
                }
                o = scratchLen;
                out = scratch;
            } else if (c == '\t' || c == '\r') {
                out[o++] = ' '; // attribute-value normalisation
                i++;
            } else if (c == '\n') {
                return SPREAD;
            } else if (c >= 0) {
                return OTHER; // '<' or a control character: not well-formed
            } else {
                int n = utf8Length(i);
                if (n < 0) {
                    return n;
                }
                System.arraycopy(b, i, out, o, n);
                o += n;
                i += n;
            }
        }
        return eof ? OTHER : MORE;
    }

    /** Decodes the reference at {@code i} ('&') into scratch; returns the index after its ';', or MORE / OTHER. */
    private int entity(int i) {
        int semicolon = -1;
        for (int at = i + 1; at < limit && at < i + 12; at++) {
            if (buf[at] == ';') {
                semicolon = at;
                break;
            }
        }
        if (semicolon < 0) {
            return i + 12 > limit && !eof ? MORE : OTHER;
        }
        int length = semicolon - i - 1;
        if (buf[i + 1] == '#') {
            int cp = 0;
            int at = i + 2;
            boolean hex = at < semicolon && buf[at] == 'x';
            if (hex) {
                at++;
            }
            if (at == semicolon) {
                return OTHER;
            }
            for (; at < semicolon; at++) {
                int d = digit(buf[at], hex);
                if (d < 0) {
                    return OTHER;
                }
                cp = cp * (hex ? 16 : 10) + d;
                if (cp > 0x10FFFF) {
                    return OTHER;
                }
            }
            if (!(cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD)
                    || cp >= 0x10000)) {
                return OTHER; // not a character XML allows
            }
            putCodePoint(cp);
        } else if (length == 2 && buf[i + 2] == 't' && buf[i + 1] == 'l') {
            put((byte) '<');
        } else if (length == 2 && buf[i + 2] == 't' && buf[i + 1] == 'g') {
            put((byte) '>');
        } else if (length == 3 && startsWith(i + 1, "amp")) {
            put((byte) '&');
        } else if (length == 4 && startsWith(i + 1, "quot")) {
            put((byte) '"');
        } else if (length == 4 && startsWith(i + 1, "apos")) {
            put((byte) '\'');
        } else {
            return OTHER; // an entity without a DTD: StAX reports it
        }
        return semicolon + 1;
    }

    private static int digit(byte b, boolean hex) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (hex && b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (hex && b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    /** Length of the well-formed UTF-8 character of a character XML allows at {@code i}, or MORE / OTHER. */
    private int utf8Length(int i) {
        int b0 = buf[i] & 0xFF;
        int n;
        int min2;
        int max2;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            n = 2;
            min2 = 0x80;
            max2 = 0xBF;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            n = 3;
            min2 = b0 == 0xE0 ? 0xA0 : 0x80;
            max2 = b0 == 0xED ? 0x9F : 0xBF; // no surrogates
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            n = 4;
            min2 = b0 == 0xF0 ? 0x90 : 0x80;
            max2 = b0 == 0xF4 ? 0x8F : 0xBF;
        } else {
            return OTHER;
        }
        if (i + n > limit) {
            return eof ? OTHER : MORE;
        }
        int b1 = buf[i + 1] & 0xFF;
        if (b1 < min2 || b1 > max2) {
            return OTHER;
        }
        for (int k = 2; k < n; k++) {
            int bk = buf[i + k] & 0xFF;
            if (bk < 0x80 || bk > 0xBF) {
                return OTHER;
            }
        }
        if (b0 == 0xEF && b1 == 0xBF && (buf[i + 2] & 0xFF) >= 0xBE) {
            return OTHER; // U+FFFE, U+FFFF
        }
        return n;
    }

    private void put(byte b) {
        if (scratchLen == scratch.length) {
            scratch = Arrays.copyOf(scratch, scratch.length * 2);
        }
        scratch[scratchLen++] = b;
    }

    private void put(byte[] from, int offset, int length) {
        if (scratchLen + length > scratch.length) {
            scratch = Arrays.copyOf(scratch, Math.max(scratch.length * 2, scratchLen + length));
        }
        System.arraycopy(from, offset, scratch, scratchLen, length);
        scratchLen += length;
    }

    private void putCodePoint(int cp) {
        if (cp < 0x80) {
            put((byte) cp);
        } else if (cp < 0x800) {
            put((byte) (0xC0 | (cp >> 6)));
            put((byte) (0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            put((byte) (0xE0 | (cp >> 12)));
            put((byte) (0x80 | ((cp >> 6) & 0x3F)));
            put((byte) (0x80 | (cp & 0x3F)));
        } else {
            put((byte) (0xF0 | (cp >> 18)));
            put((byte) (0x80 | ((cp >> 12) & 0x3F)));
            put((byte) (0x80 | ((cp >> 6) & 0x3F)));
            put((byte) (0x80 | (cp & 0x3F)));
        }
    }

    /**
     * Hands the lines from {@code pos} to StAX: the current line, or for SPREAD the lines up to the
     * one where the open tag and quote close (at most {@value #SEGMENT_LINES}), parsed inside the
     * root element; their rows (or one unreadable row, on broken XML) become the next rows.
     */
    private int segment(int why) throws IOException {
        while (true) {
            int end = segmentEnd(why == SPREAD);
            if (end == MORE) {
                if (!fill()) {
                    return lineTooLong();
                }
                continue;
            }
            long firstLine = line;
            int lines = 0;
            for (int k = pos; k < end; k++) {
                if (buf[k] == '\n') {
                    lines++;
                }
            }
            parseSegment(pos, end - pos, firstLine, end == limit && eof);
            pos = end;
            line += lines;
            return 0;
        }
    }

    /**
     * Where the segment from {@code pos} ends (after its last '\n', or at the end of the file), or
     * MORE: after this line, or for a spread tag after the line where it closes, or before a line
     * that starts a row (the tag was cut off: its row is unreadable, the next one is not).
     */
    private int segmentEnd(boolean spread) {
        boolean inTag = false;
        byte quote = 0;
        int lines = 0;
        for (int i = pos; i < limit; i++) {
            byte b = buf[i];
            if (b == '\n') {
                lines++;
                if (!spread || (!inTag && quote == 0) || lines >= SEGMENT_LINES) {
                    return i + 1;
                }
                int next = i + 1;
                while (next < limit && isSpace(buf[next])) {
                    next++;
                }
                if (next + 5 > limit && !eof) {
                    return MORE;
                }
                if (startsWith(next, "<row")) {
                    return i + 1;
                }
            } else if (quote != 0) {
                if (b == quote) {
                    quote = 0;
                }
            } else if (b == '<') {
                inTag = true;
            } else if (inTag && (b == '"' || b == '\'')) {
                quote = b;
            } else if (b == '>') {
                inTag = false;
            }
        }
        return eof ? limit : MORE;
    }

    private void parseSegment(int offset, int length, long firstLine, boolean lastInFile) {
        byte[] open = ("<" + root + ">").getBytes(StandardCharsets.UTF_8);
        byte[] close = ("</" + root + ">").getBytes(StandardCharsets.UTF_8);
        InputStream in = new SequenceInputStream(Collections.enumeration(List.of(new ByteArrayInputStream(open),
                new ByteArrayInputStream(buf, offset, length), new ByteArrayInputStream(close))));
        XMLStreamReader xml = null;
        boolean wrapper = true;
        try {
            xml = factory.createXMLStreamReader(in);
            while (xml.hasNext()) {
                if (xml.next() == XMLStreamConstants.START_ELEMENT) {
                    if (wrapper) {
                        wrapper = false;
                    } else if (xml.getLocalName().equals("row")) {
                        DumpRow row = new DumpRow();
                        row.reset(++rows, firstLine + xml.getLocation().getLineNumber() - 1);
                        for (int k = 0, n = xml.getAttributeCount(); k < n; k++) {
                            row.add(xml.getAttributeLocalName(k), xml.getAttributeValue(k));
                        }
                        pending.add(row);
                    }
                }
            }
        } catch (XMLStreamException e) {
            int errorLine = e.getLocation() == null ? 1 : Math.max(1, e.getLocation().getLineNumber());
            DumpRow row = new DumpRow();
            row.reset(++rows, firstLine + errorLine - 1);
            row.fail(e.getMessage() == null ? e.toString() : e.getMessage().replace('\n', ' '));
            pending.add(row);
            if (lastInFile) {
                endReported = true; // StAX reports a file cut inside a row once
            }
        } finally {
            if (xml != null) {
                try {
                    xml.close();
                } catch (XMLStreamException ignored) {
                    // nothing held but the bytes
                }
            }
        }
    }

    /** Hands the whole file to StAX (before any row was read). */
    private int handOverAll() throws IOException {
        if (rows > 0) {
            throw new IllegalStateException("the scanner read rows before handing over the file");
        }
        handoff = new DumpFileReader(file, factory, 0, 0, null, 0);
        return 0;
    }

    /** A line too long for the buffer: StAX reads the rest of the file from its start. */
    private int lineTooLong() throws IOException {
        if (root == null) {
            return handOverAll();
        }
        handoff = new DumpFileReader(file, factory, bufBase + pos, line - 1, root, rows);
        return 0;
    }

    /** Moves the unread bytes to the front and reads more; false if a line fills the largest buffer. */
    private boolean fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            bufBase += pos;
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            if (buf.length >= MAX_LINE) {
                return false;
            }
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = channel.read(ByteBuffer.wrap(buf, limit, buf.length - limit));
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
        bytesRead = bufBase + limit;
        return true;
    }

    private boolean startsWith(int i, String text) {
        if (i + text.length() > limit) {
            return false;
        }
        for (int k = 0; k < text.length(); k++) {
            if (buf[i + k] != (byte) text.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }

    private static boolean isNameStart(byte b) {
        return NAME_START[b & 0xFF];
    }

    private static boolean isNameByte(byte b) {
        return NAME_BYTE[b & 0xFF];
    }

    /** The bytes that may start an attribute name this scanner reads itself, and those that may follow. */
    private static final boolean[] NAME_START = new boolean[256];
    private static final boolean[] NAME_BYTE = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            NAME_START[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            NAME_BYTE[c] = NAME_START[c] || (c >= '0' && c <= '9') || c == '-' || c == '.';
        }
    }

    @Override
    public long number() {
        return current == FAST ? rowNumber : stax.number();
    }

    @Override
    public long line() {
        return current == FAST ? rowLine : stax.line();
    }

    @Override
    public int encode(EventBuffer out) throws BadRowException {
        if (current == STAX) {
            return StaxRowSource.encodeRow(kind, stax, codec, out);
        }
        int length = encodeFast(out);
        if (length >= 0) {
            return length;
        }
        return StaxRowSource.encodeRow(kind, asDumpRow(), codec, out);
    }

    /** The current row's attributes as strings, for {@link DumpFile#decode}. */
    private DumpRow asDumpRow() {
        DumpRow row = new DumpRow();
        row.reset(rowNumber, rowLine);
        for (int f = 0; f < names.length; f++) {
            if ((present & (1L << f)) != 0) {
                row.add(names[f], new String(valueArray(f), valueOff[f], valueLen[f], StandardCharsets.UTF_8));
            }
        }
        return row;
    }

    private byte[] valueArray(int field) {
        return (inScratch & (1L << field)) != 0 ? scratch : buf;
    }

    /** Writes the current row's event into {@code out}; -1 if {@link DumpFile#decode} must judge it. */
    private int encodeFast(EventBuffer out) {
        if ((present & required) != required) {
            return -1;
        }
        int bound = 11;
        long bits = 0;
        int optional = 0;
        for (int f = 0; f < names.length; f++) {
            boolean has = (present & (1L << f)) != 0;
            if (types[f] == TAGS) {
                bound += has ? 10 + valueLen[f] * 4 : 1;
                continue;
            }
            if ((required & (1L << f)) == 0) {
                if (has) {
                    bits |= 1L << optional;
                }
                optional++;
            }
            if (has) {
                bound += types[f] == TEXT ? 5 + valueLen[f] : 10;
            }
        }
        int start = out.begin(bound);
        byte[] a = out.array();
        int p = start;
        a[p++] = type;
        p = writeUnsigned(a, p, bits);
        for (int f = 0; f < names.length; f++) {
            boolean has = (present & (1L << f)) != 0;
            if (!has) {
                if (types[f] == TAGS) {
                    a[p++] = 0;
                }
                continue;
            }
            byte[] v = valueArray(f);
            int off = valueOff[f];
            int len = valueLen[f];
            switch (types[f]) {
                case LONG, INT -> {
                    long n = number(v, off, len, types[f] == INT);
                    if (n == Long.MIN_VALUE) {
                        return -1;
                    }
                    p = writeUnsigned(a, p, (n << 1) ^ (n >> 63));
                }
                case DATE -> {
                    long t = DumpDates.parse(v, off, len);
                    if (t == DumpDates.INVALID) {
                        return -1;
                    }
                    p = writeUnsigned(a, p, (t << 1) ^ (t >> 63));
                }
                case TEXT -> {
                    p = writeUnsigned(a, p, len);
                    System.arraycopy(v, off, a, p, len);
                    p += len;
                }
                default -> p = writeTags(a, p, v, off, len);
            }
        }
        out.end(p);
        return p - start;
    }

    /**
     * A number of up to 18 ASCII digits after an optional sign, in the int range if {@code int32};
     * Long.MIN_VALUE for anything else (then {@link DumpFile#decode} judges it as
     * {@link Long#parseLong} does).
     */
    private static long number(byte[] v, int off, int len, boolean int32) {
        int i = off;
        int end = off + len;
        boolean negative = false;
        if (i < end && (v[i] == '-' || v[i] == '+')) {
            negative = v[i] == '-';
            i++;
        }
        if (i == end || end - i > 18) {
            return Long.MIN_VALUE;
        }
        long n = 0;
        for (; i < end; i++) {
            int d = v[i] - '0';
            if (d < 0 || d > 9) {
                return Long.MIN_VALUE;
            }
            n = n * 10 + d;
        }
        n = negative ? -n : n;
        if (int32 && (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE)) {
            return Long.MIN_VALUE;
        }
        return n;
    }

    /** Tags as {@link DumpFile#tags} splits them, from the value's UTF-8 (the delimiters are ASCII). */
    private int writeTags(byte[] a, int p, byte[] v, int off, int len) {
        int count = 0;
        int end = off + len;
        if (len > 0 && v[off] == '<') {
            int at = off;
            while (at < end) {
                int open = indexOf(v, (byte) '<', at, end);
                if (open < 0) {
                    break;
                }
                int close = indexOf(v, (byte) '>', open + 1, end);
                if (close < 0) {
                    close = end;
                }
                if (close > open + 1) {
                    count = addTag(count, open + 1, close);
                }
                at = close + 1;
            }
        } else if (len > 0) {
            int at = off;
            while (at <= end) {
                int bar = indexOf(v, (byte) '|', at, end);
                int stop = bar < 0 ? end : bar;
                if (stop > at) {
                    count = addTag(count, at, stop);
                }
                at = stop + 1;
            }
        }
        p = writeUnsigned(a, p, count);
        for (int k = 0; k < count; k++) {
            int length = tagEnd[k] - tagOff[k];
            p = writeUnsigned(a, p, length);
            System.arraycopy(v, tagOff[k], a, p, length);
            p += length;
        }
        return p;
    }

    private int addTag(int count, int from, int to) {
        if (count == tagOff.length) {
            tagOff = Arrays.copyOf(tagOff, count * 2);
            tagEnd = Arrays.copyOf(tagEnd, count * 2);
        }
        tagOff[count] = from;
        tagEnd[count] = to;
        return count + 1;
    }

    private static int indexOf(byte[] v, byte b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (v[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int writeUnsigned(byte[] a, int p, long value) {
        while ((value & ~0x7FL) != 0) {
            a[p++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        a[p++] = (byte) value;
        return p;
    }

    @Override
    public long bytesRead() {
        return handoff != null ? handoff.bytesRead() : bytesRead;
    }

    @Override
    public void close() throws IOException {
        try {
            if (handoff != null) {
                handoff.close();
            }
        } finally {
            channel.close();
        }
    }
}
