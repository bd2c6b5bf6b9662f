package io.dataplatform.views.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class KeyPathsTest {

    private static final String ALPHABET = "aZ09_-.~% :*?\"<>|/éü日😀\u200B";

    @Test
    void plainKeysKeepTheirNames() {
        assertThat(KeyPaths.components("users/42")).containsExactly("users", "42.json");
        assertThat(KeyPaths.components("a.b/c d")).containsExactly("a%2Eb", "c%20d.json");
        assertThat(KeyPaths.components("CON")).containsExactly("%43ON.json");
        assertThat(KeyPaths.components("..a")).containsExactly("%2E%2Ea.json");
    }

    @Test
    void aLongSegmentIsCutIntoContinuedPieces() {
        List<String> components = KeyPaths.components("x".repeat(450));
        assertThat(components).containsExactly("x".repeat(200), "~" + "x".repeat(200), "~" + "x".repeat(50) + ".json");
        assertThat(KeyPaths.key(components)).isEqualTo("x".repeat(450));
    }

    @RepeatedTest(20)
    void everyKeyMapsToItsOwnPathAndBack(RepetitionInfo repetition) {
        long seed = 0x5eed_0000L + repetition.getCurrentRepetition();
        Random random = new Random(seed);
        Map<List<String>, String> seen = new HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            String key = randomKey(random);
            List<String> components = KeyPaths.components(key);
            assertThat(KeyPaths.key(components)).as("seed %d, key %s", seed, key).isEqualTo(key);
            String other = seen.put(components, key);
            assertThat(other == null || other.equals(key)).as("seed %d: %s and %s share %s", seed, key, other, components).isTrue();
            for (String component : components) {
                assertThat(component.length()).as("seed %d", seed).isLessThanOrEqualTo(KeyPaths.MAX_COMPONENT + 6);
            }
        }
    }

    private static String randomKey(Random random) {
        StringBuilder key = new StringBuilder();
        int length = 1 + random.nextInt(random.nextInt(10) == 0 ? 300 : 12);
        while (key.length() < length) {
            int at = random.nextInt(ALPHABET.length());
            char c = ALPHABET.charAt(at);
            if (Character.isHighSurrogate(c)) {
                key.append(c).append(ALPHABET.charAt(at + 1));
            } else if (!Character.isLowSurrogate(c)) {
                key.append(c);
            }
        }
        String text = key.toString().replaceAll("/+", "/").replaceAll("^/|/$", "");
        StringBuilder valid = new StringBuilder();
        for (String segment : text.split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                segment = "s";
            }
            valid.append(valid.length() == 0 ? "" : "/").append(segment);
        }
        return valid.toString();
    }
}
