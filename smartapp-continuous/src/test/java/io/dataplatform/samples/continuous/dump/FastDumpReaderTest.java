package io.dataplatform.samples.continuous.dump;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The byte scanner and the StAX path read the same rows and encode the same events (byte for
 * byte), bad rows included: on the hand-written messy fixture, on generated dumps, and on generated
 * dumps with random damage (seeded; the seed is in the failure message).
 */
class FastDumpReaderTest {
    @TempDir
    Path dir;

    /** One row as read: its number, its line (when compared), and its event's bytes or why it is bad. */
    record Read(long number, long line, String event) {
    }

    @Test
    void theMessyFixtureReadsAsStaxReadsIt() throws IOException {
        for (DumpFile kind : DumpFile.values()) {
            Path file = dir.resolve(kind.fileName());
            try (InputStream in = FastDumpReaderTest.class.getResourceAsStream("/messy-dump/" + kind.fileName())) {
                Files.copy(in, file);
            }
            List<Read> stax = read(new StaxRowSource(file, kind, XmlParser.AALTO), true);
            List<Read> fast = read(new FastDumpReader(file, kind), true);
            assertThat(fast).as(kind.fileName()).isEqualTo(stax);
            assertThat(stax).as("the fixture has bad rows in %s", kind.fileName())
                    .anySatisfy(r -> assertThat(r.event()).startsWith("bad"));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 7, 2026})
    void generatedDumpsReadAsStaxReadsThemWithoutStax(long seed) throws IOException {
        Path dump = dir.resolve("dump" + seed);
        new DumpGenerator(400, seed).writeTo(dump);
        for (DumpFile kind : DumpFile.values()) {
            Path file = dump.resolve(kind.fileName());
            List<Read> stax = read(new StaxRowSource(file, kind, XmlParser.AALTO), true);
            try (FastDumpReader reader = new FastDumpReader(file, kind)) {
                List<Read> fast = read(reader, true);
                assertThat(fast).as("seed %d, %s", seed, kind.fileName()).isEqualTo(stax);
                assertThat(reader.staxRows()).as("every generated row is scanned without StAX").isZero();
            }
            assertThat(stax).hasSizeGreaterThan(50).noneMatch(r -> r.event().startsWith("bad"));
        }
    }

    @RepeatedTest(12)
    void damagedDumpsReadAsStaxReadsThem() throws IOException {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        Path dump = dir.resolve("dump");
        new DumpGenerator(80, random.nextLong()).writeTo(dump);
        for (DumpFile kind : DumpFile.values()) {
            Path file = dump.resolve(kind.fileName());
            damage(file, random);
            List<Read> stax = read(new StaxRowSource(file, kind, XmlParser.AALTO), false);
            List<Read> fast = read(new FastDumpReader(file, kind), false);
            assertThat(fast).as("seed %d (new Random(seed) replays it), %s:%n%s", seed, kind.fileName(),
                    new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).isEqualTo(stax);
        }
    }

    private static List<Read> read(RowSource source, boolean lines) throws IOException {
        List<Read> rows = new ArrayList<>();
        try (source) {
            while (source.next()) {
                EventBuffer buffer = new EventBuffer(1 << 16);
                String event;
                try {
                    int length = source.encode(buffer);
                    event = HexFormat.of().formatHex(buffer.array(), buffer.lastStart(), buffer.lastStart() + length);
                } catch (BadRowException e) {
                    // where a StAX parser stops is its own affair: unreadable is what both must say
                    event = e.getMessage().startsWith("unreadable XML") ? "bad: unreadable XML" : "bad: " + e.getMessage();
                }
                rows.add(new Read(source.number(), lines ? source.line() : 0, event));
            }
        }
        return rows;
    }

    /** Damages a few rows of a generated file, in the ways real dumps and broken files do. */
    private static void damage(Path file, Random random) throws IOException {
        List<byte[]> lines = new ArrayList<>();
        byte[] all = Files.readAllBytes(file);
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                lines.add(Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        if (start < all.length) {
            lines.add(Arrays.copyOfRange(all, start, all.length));
        }
        int damaged = 1 + random.nextInt(6);
        for (int k = 0; k < damaged && lines.size() > 4; k++) {
            int at = 2 + random.nextInt(lines.size() - 3); // a row, not the declaration, root or end tag
            lines.set(at, damageRow(lines, at, random));
        }
        boolean crlf = random.nextInt(4) == 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (random.nextInt(3) == 0) {
            out.write(0xEF);
            out.write(0xBB);
            out.write(0xBF);
        }
        for (byte[] line : lines) {
            out.writeBytes(line);
            if (crlf) {
                out.write('\r');
            }
            out.write('\n');
        }
        Files.write(file, out.toByteArray());
    }

    private static byte[] damageRow(List<byte[]> lines, int at, Random random) {
        byte[] row = lines.get(at);
        String text = new String(row, StandardCharsets.UTF_8);
        if (!text.contains("<row ")) {
            return row;
        }
        int value = valueStart(text, random); // just after the opening quote of some attribute
        return switch (random.nextInt(23)) {
            case 0 -> bytes(text.replace(" />", " Extra=\"x &amp; y\" />"));                 // unknown attribute
            case 1 -> bytes(text.replace(" />", " Id=\"5\" />"));                             // duplicate attribute
            case 2 -> bytes(insert(text, value, "<"));                                          // raw '<'
            case 3 -> bytes(insert(text, value, "&nbsp;"));                                     // undeclared entity
            case 4 -> bytes(text + "<row Id=\"999\" CreationDate=\"2010-01-01T00:00:00\" PostId=\"1\" PostTypeId=\"1\" />"); // two rows
            case 5 -> bytes(insert(text, value, "line\nbreak"));                               // a value over two lines
            case 6 -> bytes(text.replaceFirst("\" ", "\"\n    "));                             // a tag over two lines
            case 7 -> bytes(insert(text, value, "\ttab "));                                    // a tab, normalised to a space
            case 8 -> bytes(insert(text, value, "\uD83D\uDE00 \u00fc \u4e2d"));                // raw non-ASCII, outside the BMP
            case 9 -> bytes(insert(text, value, "&#0;"));                                       // not an XML character
            case 10 -> insertBytes(row, value, new byte[] {(byte) 0xFF, 'x'});                 // malformed UTF-8
            case 11 -> insertBytes(row, value, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}); // an encoded surrogate
            case 12 -> bytes(text.replaceFirst(" Id=\"[^\"]*\"", ""));                         // required attribute missing
            case 13 -> bytes(text.replaceFirst("Id=\"", "Id=\"x"));                            // not a number
            case 14 -> bytes(text.replaceFirst("CreationDate=\"[^\"]*\"", "CreationDate=\"2010-02-30T00:00:00.000\"")); // no such day
            case 15 -> bytes("  <!-- a comment -->\n" + text);                                  // a comment line
            case 16 -> bytes("\n   \n" + text);                                                 // blank lines
            case 17 -> bytes(insert(text, value, "&#x1F600;&#65;&apos;&quot;&gt;>"));         // references, a raw '>'
            case 18 -> bytes(text.replaceFirst("Id=\"([^\"]*)\"", "Id = '$1'"));               // single quotes, spaces around '='
            case 19 -> bytes(text.replace(" />", "></row>"));                                   // start and end tag
            case 20 -> bytes(text.replaceFirst("Id=\"([^\"]*)\"", "Id=\"+$1\""));              // a sign
            case 21 -> bytes("  <!-- a comment\n    over lines -->\n" + text);               // a comment over lines
            default -> bytes(insert(text, value, "&#x7;"));                                     // a control character
        };
    }

    private static int valueStart(String text, Random random) {
        List<Integer> starts = new ArrayList<>();
        for (int i = text.indexOf("=\""); i >= 0; i = text.indexOf("=\"", i + 1)) {
            starts.add(i + 2);
        }
        return starts.get(random.nextInt(starts.size()));
    }

    private static String insert(String text, int at, String what) {
        return text.substring(0, at) + what + text.substring(at);
    }

    private static byte[] insertBytes(byte[] row, int charIndex, byte[] what) {
        String text = new String(row, StandardCharsets.UTF_8);
        byte[] before = text.substring(0, charIndex).getBytes(StandardCharsets.UTF_8);
        byte[] after = text.substring(charIndex).getBytes(StandardCharsets.UTF_8);
        byte[] result = new byte[before.length + what.length + after.length];
        System.arraycopy(before, 0, result, 0, before.length);
        System.arraycopy(what, 0, result, before.length, what.length);
        System.arraycopy(after, 0, result, before.length + what.length, after.length);
        return result;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
