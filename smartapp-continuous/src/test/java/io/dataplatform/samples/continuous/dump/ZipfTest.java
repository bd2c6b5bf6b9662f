package io.dataplatform.samples.continuous.dump;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class ZipfTest {

    @Test
    void rankFrequenciesFallAsTheLawSays() {
        Zipf zipf = new Zipf(1_000, 1.0);
        SplittableRandom random = new SplittableRandom(11);
        int[] counts = new int[1_000];
        for (int i = 0; i < 200_000; i++) {
            counts[zipf.next(random)]++;
        }
        // rank 1 is about twice as frequent as rank 2 and ten times rank 10 (s = 1)
        assertThat((double) counts[0] / counts[1]).isBetween(1.8, 2.2);
        assertThat((double) counts[0] / counts[9]).isBetween(8.5, 11.5);
    }
}
