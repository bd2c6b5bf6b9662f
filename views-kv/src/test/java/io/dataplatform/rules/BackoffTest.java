package io.dataplatform.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void pausesDoubleFromTheFirstUpToTheLongest() {
        Backoff backoff = Backoff.exponential(8, ms(100), ms(1000));
        assertThat(backoff.pauseBefore(1)).isEqualTo(ms(100));
        assertThat(backoff.pauseBefore(2)).isEqualTo(ms(200));
        assertThat(backoff.pauseBefore(3)).isEqualTo(ms(400));
        assertThat(backoff.pauseBefore(4)).isEqualTo(ms(800));
        assertThat(backoff.pauseBefore(5)).isEqualTo(ms(1000));
        assertThat(backoff.pauseBefore(8)).isEqualTo(ms(1000));
    }

    @Test
    void farRetriesNeitherOverflowNorExceedTheLongestPause() {
        Backoff backoff = Backoff.exponential(Integer.MAX_VALUE, ms(3), Duration.ofHours(1));
        for (int retry : new int[] {40, 62, 63, 64, 100, Integer.MAX_VALUE}) {
            assertThat(backoff.pauseBefore(retry)).as("retry %d", retry).isEqualTo(Duration.ofHours(1));
        }
        assertThat(Backoff.exponential(5, Duration.ZERO, Duration.ZERO).pauseBefore(5)).isZero();
    }

    @Test
    void retriesAreCountedAndBounded() {
        Backoff backoff = Backoff.exponential(2, ms(1), ms(1));
        assertThat(backoff.allowsRetry(0)).isFalse();
        assertThat(backoff.allowsRetry(1)).isTrue();
        assertThat(backoff.allowsRetry(2)).isTrue();
        assertThat(backoff.allowsRetry(3)).isFalse();
        assertThat(Backoff.exponential(0, ms(1), ms(1)).allowsRetry(1)).isFalse();
    }

    /** Jitter only lengthens a pause, by at most its fraction; the seed is printed on failure. */
    @RepeatedTest(10)
    void jitterStaysWithinItsFraction() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Backoff backoff = Backoff.exponential(6, ms(100), ms(5000)).withJitter(0.25);
        for (int retry = 1; retry <= 6; retry++) {
            Duration base = backoff.pauseBefore(retry);
            for (int i = 0; i < 200; i++) {
                Duration pause = backoff.pauseBefore(retry, random);
                assertThat(pause).as("retry %d, seed %d", retry, seed)
                        .isGreaterThanOrEqualTo(base).isLessThanOrEqualTo(base.plus(base.dividedBy(4)));
            }
        }
    }

    @Test
    void aRequestedPauseIsBoundedByTheLongest() {
        Backoff backoff = Backoff.exponential(3, ms(10), Duration.ofSeconds(5));
        Random random = new Random(1);
        assertThat(backoff.bounded(Duration.ofSeconds(3600), random)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.bounded(Duration.ofSeconds(2), random)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.bounded(Duration.ofSeconds(-1), random)).isZero();
        Duration jittered = backoff.withJitter(0.5).bounded(Duration.ofSeconds(3600), random);
        assertThat(jittered).isBetween(Duration.ofSeconds(5), Duration.ofMillis(7500));
    }

    @Test
    void theTotalPauseIsBounded() {
        assertThat(Backoff.exponential(4, ms(50), ms(5000)).longestTotalPause()).isEqualTo(ms(50 + 100 + 200 + 400));
        assertThat(Backoff.exponential(5, ms(100), ms(5000)).withJitter(0.25).longestTotalPause())
                .isEqualTo(ms(125 + 250 + 500 + 1000 + 2000));
        assertThat(Backoff.exponential(Integer.MAX_VALUE, Duration.ofDays(365), Duration.ofDays(365 * 200)).longestTotalPause())
                .isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> Backoff.exponential(-1, ms(1), ms(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.exponential(1, ms(10), ms(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the first no longer than the longest");
        assertThatThrownBy(() -> Backoff.exponential(1, ms(-1), ms(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.exponential(1, ms(1), ms(1)).withJitter(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.exponential(1, ms(1), ms(1)).withJitter(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.exponential(1, ms(1), Duration.ofDays(365L * 1000))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.exponential(1, ms(1), ms(1)).pauseBefore(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
