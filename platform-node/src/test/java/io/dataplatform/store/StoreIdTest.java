package io.dataplatform.store;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"abc", "sales", "inventory-2012", "a-b-c", "0a9", "x23456789012345678901234567890123456789012345678"})
    void validIdsAreAccepted(String value) {
        assertThat(StoreId.of(value).value()).isEqualTo(value);
        assertThat(StoreId.isValid(value)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ab|3 to 48 characters, this one has 2",
            "x234567890123456789012345678901234567890123456789|this one has 49",
            "Sales|only lowercase letters a-z, digits and dashes; found 'S' at index 0",
            "sa_les|found '_' at index 2",
            "-sales|starts and ends with a letter or digit",
            "sales-|starts and ends with a letter or digit",
            "sa--les|no two dashes in a row (index 2)",
            "sa les|found '\\u0020' at index 2",
            "../etc|found '.' at index 0"})
    void invalidIdsNameTheBrokenRule(String value, String rule) {
        assertThatThrownBy(() -> StoreId.of(value))
                .isInstanceOf(InvalidStoreIdException.class)
                .hasMessageContaining("invalid store id '" + value + "'")
                .hasMessageContaining(rule);
        assertThat(StoreId.isValid(value)).isFalse();
    }
}
