package io.dataplatform.samples.continuous.dump;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DumpDatesTest {
    private static final SplittableRandom SEEDS = new SplittableRandom();

    @RepeatedTest(20)
    void parseAgreesWithJavaTimeOnRandomInstants() {
        long seed = SEEDS.nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 1_000; i++) {
            long millis = random.nextLong(-2_000_000_000_000L, 4_000_000_000_000L);
            String text = DumpDates.format(millis);
            assertThat(DumpDates.parse(text)).as("seed %d: %s", seed, text).isEqualTo(millis);
            LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), 0, ZoneOffset.UTC);
            assertThat(DumpDates.dayOfWeek(millis)).as("seed %d: %s", seed, text)
                    .isEqualTo(time.getDayOfWeek().getValue() - 1);
        }
    }

    @Test
    void millisecondsAreOptionalAndMayBeShort() {
        assertThat(DumpDates.parse("2008-08-01T10:00:00")).isEqualTo(1_217_584_800_000L);
        assertThat(DumpDates.parse("2012-05-05T05:05:05.5")).isEqualTo(DumpDates.parse("2012-05-05T05:05:05.500"));
    }

    @Test
    void theByteFormAgreesWithTheTextFormWhereverACharacterIsWrong() {
        String good = "2013-11-27T08:45:59.123";
        for (int i = 0; i < good.length(); i++) {
            for (char wrong : new char[] {'x', '/', ':', '-', 'T', '.', ' ', '0', '9'}) {
                String text = good.substring(0, i) + wrong + good.substring(i + 1);
                byte[] bytes = ("  " + text + "  ").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                long fromBytes = DumpDates.parse(bytes, 2, text.length());
                long fromText;
                try {
                    fromText = DumpDates.parse(text);
                } catch (IllegalArgumentException e) {
                    fromText = DumpDates.INVALID;
                }
                assertThat(fromBytes).as(text).isEqualTo(fromText);
            }
        }
        assertThat(DumpDates.parse("20x3-11-27T08:45:59".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, 19))
                .isEqualTo(DumpDates.INVALID);
    }

    @Test
    void impossibleDatesAreRefused() {
        assertThatThrownBy(() -> DumpDates.parse("2010-02-30T10:00:00.000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DumpDates.parse("not a date")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DumpDates.parse("2010-13-01T10:00:00")).isInstanceOf(IllegalArgumentException.class);
        assertThat(DumpDates.parse("2012-02-29T00:00:00")).isEqualTo(1_330_473_600_000L);
    }
}
