package io.dataplatform.views;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Keys that try to break out of a container or trip a file system: the valid ones must be stored safely, the rest refused. */
final class HostileKeys {

    private HostileKeys() {
    }

    static Stream<String> oddButValid() {
        return Stream.of(
                "CON", "con", "NUL", "aux/COM1", "LPT9.txt", "nul.json",
                "ends-with-dot.", "ends with space ", ".hidden", "...", "..a", "a..", "a/.b/c",
                "%2E%2E", "%2F", "~tilde", "~", "a~b/~c",
                "colon:star*question?quote\"lt<gt>pipe|", "semi;comma,plus+eq=amp&",
                "ünïcødé/日本語/키", "emoji/😀🚀", "zero\u200Bwidth", "rtl\u202Eoverride",
                "x".repeat(512),
                "é".repeat(256),
                "😀".repeat(128),
                "a/".repeat(100) + "b",
                "ab".repeat(100) + "/" + "cd".repeat(100) + "/" + "%".repeat(30));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("", "must not be empty"),
                Arguments.of("..", "'..' segment"),
                Arguments.of("../x", "'..' segment"),
                Arguments.of("a/../../b", "'..' segment"),
                Arguments.of("a/..", "'..' segment"),
                Arguments.of("./a", "'.' segment"),
                Arguments.of("/etc/passwd", "must not start with '/'"),
                Arguments.of("/", "must not start with '/'"),
                Arguments.of("a/", "must not end with '/'"),
                Arguments.of("a//b", "empty segment"),
                Arguments.of("nul\u0000byte", "control characters (U+0000"),
                Arguments.of("line\nfeed", "control characters (U+000A"),
                Arguments.of("tab\there", "control characters (U+0009"),
                Arguments.of("del\u007F", "control characters (U+007F"),
                Arguments.of("c1\u0085", "control characters (U+0085"),
                Arguments.of("..\\windows\\system32", "'\\'"),
                Arguments.of("a\\b", "'\\'"),
                Arguments.of("broken\uD800surrogate", "unpaired surrogate"),
                Arguments.of("x".repeat(513), "longer than 512 UTF-8 bytes (it has 513)"),
                Arguments.of("é".repeat(257), "longer than 512 UTF-8 bytes (it has 514)"));
    }
}
