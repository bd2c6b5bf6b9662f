package io.dataplatform.samples.continuous.projection;

import org.junit.jupiter.api.RepeatedTest;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TopListTest {
    private static final SplittableRandom SEEDS = new SplittableRandom();

    @RepeatedTest(30)
    void theListIsAlwaysTheExactTopOfEveryCountSoFar() {
        long seed = SEEDS.nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        TopList top = new TopList();
        top.size = 10;
        Map<String, Long> counts = new HashMap<>();
        for (int i = 0; i < 3_000; i++) {
            String key = "k" + (int) Math.pow(random.nextInt(1, 200), 1.5);
            long count = counts.merge(key, 1L + random.nextInt(3), Long::sum);
            top.offer(key, key, count);
        }
        List<String> expected = counts.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(e -> -e.getValue()).thenComparing(Map.Entry::getKey))
                .limit(10).map(e -> e.getKey() + "=" + e.getValue()).toList();
        assertThat(top.entries.stream().map(e -> e.key + "=" + e.count).toList()).as("seed %d", seed).isEqualTo(expected);
    }
}
