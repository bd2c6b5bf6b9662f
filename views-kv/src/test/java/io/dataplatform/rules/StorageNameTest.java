package io.dataplatform.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StorageNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"abc", "sales", "inventory-2012", "a-b-c", "0a9", "x23456789012345678901234567890123456789012345678"})
    void validNamesFollowTheRule(String value) {
        assertThat(StorageName.isValid(value)).isTrue();
        assertThat(StorageName.brokenRule(value, "a name")).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ab|a container name has 3 to 48 characters, this one has 2",
            "x234567890123456789012345678901234567890123456789|this one has 49",
            "Views|only lowercase letters a-z, digits and dashes; found 'V' at index 0",
            "vi_ews|found '_' at index 2",
            "-views|starts and ends with a letter or digit",
            "views-|starts and ends with a letter or digit",
            "vi--ews|no two dashes in a row (index 2)",
            "vi ews|found '\\u0020' at index 2",
            "../x|found '.' at index 0",
            "a/b|found '/' at index 1"})
    void invalidNamesNameTheBrokenPart(String value, String rule) {
        assertThat(StorageName.isValid(value)).isFalse();
        assertThat(StorageName.brokenRule(value, "a container name")).contains(rule);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a store id", "a container name"})
    void aMissingNameIsRequired(String subject) {
        assertThat(StorageName.brokenRule(null, subject)).isEqualTo(subject + " is required");
    }

    /** The rule against a plain regular expression of it, on random strings over a small alphabet. */
    @RepeatedTest(20)
    void agreesWithTheRuleWrittenAsARegularExpression() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String alphabet = "ab9-_A";
        for (int i = 0; i < 2000; i++) {
            StringBuilder name = new StringBuilder();
            int length = random.nextInt(52);
            for (int c = 0; c < length; c++) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String value = name.toString();
            boolean expected = value.length() >= 3 && value.length() <= 48
                    && value.matches("[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]");
            assertThat(StorageName.isValid(value)).as("'%s' (seed %d)", value, seed).isEqualTo(expected);
        }
    }
}
