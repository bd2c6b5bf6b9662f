package io.dataplatform.cli.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The latency histogram's percentiles stay within its bucket precision. */
class LatencyHistogramTest {

    @Test
    void percentilesOfAUniformSpreadAreWithinThreePercent() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long micros = 1; micros <= 10_000; micros++) {
            histogram.record(micros * 1000);
        }
        assertThat(histogram.count()).isEqualTo(10_000);
        assertThat((double) histogram.percentileNanos(50)).isCloseTo(5_000_000, within(150_000.0));
        assertThat((double) histogram.percentileNanos(99)).isCloseTo(9_900_000, within(300_000.0));
        assertThat(histogram.percentileNanos(100)).isEqualTo(10_000_000);
        assertThat(histogram.maxNanos()).isEqualTo(10_000_000);
    }

    @Test
    void mergedHistogramsCountEveryValueAndEmptyOnesReadZero() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        assertThat(a.percentileNanos(99)).isZero();
        a.record(5);
        b.record(7_000_000_000L);
        b.record(-3);
        a.add(b);
        assertThat(a.count()).isEqualTo(3);
        assertThat(a.percentileNanos(1)).isZero();
        assertThat(a.percentileNanos(100)).isEqualTo(7_000_000_000L);
    }

    @Test
    void everyValueFallsInABucketWhoseUpperEdgeIsAtOrAboveIt() {
        long[] values = {0, 1, 31, 32, 33, 63, 64, 65, 1000, 123_456_789, Long.MAX_VALUE / 2, Long.MAX_VALUE};
        for (long value : values) {
            int index = LatencyHistogram.index(value);
            assertThat(LatencyHistogram.upperEdge(index)).as("edge of %d", value).isGreaterThanOrEqualTo(value);
            if (index > 0) {
                assertThat(LatencyHistogram.upperEdge(index - 1)).as("previous edge of %d", value).isLessThan(value);
            }
        }
    }
}
