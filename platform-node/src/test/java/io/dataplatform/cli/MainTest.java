package io.dataplatform.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line: subcommands, flags, defaults. */
class MainTest {

    @Test
    void nodeIsTheDefaultSubcommandAndHelpListsEveryFlag() {
        StringWriter text = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(text));
        String[] args = Main.withDefaultSubcommand(cli, "--help");
        assertThat(args).containsExactly("node", "--help");
        assertThat(Main.withDefaultSubcommand(cli, "help")).containsExactly("help");
        int code = cli.execute(args);
        assertThat(code).isZero();
        assertThat(text.toString()).contains("--store", "--http-port", "--ip", "--kill-switch", "--durability",
                "--max-event-size", "--event-loops", "DP_STORE", "./data", "8080", "127.0.0.1");
    }

    @TempDir
    Path dir;

    @Test
    void aNodeWithoutEventLoopsIsRefused() {
        assertRefused("eventLoops must be at least 1", "--event-loops", "-1");
    }

    @Test
    void aMaxEventSizeOfZeroIsRefusedSinceEventDataWouldBeDiscarded() {
        assertRefused("the max event size (--max-event-size) is between 1 and 67108864 bytes, not 0",
                "--max-event-size", "0");
    }

    @Test
    void aKillSwitchBeyondItsRangeIsRefusedNamingTheRange() {
        assertRefused("the kill switch (--kill-switch) is between 0 (never) and 2147483647 s, not 9999999999999999 s",
                "--kill-switch", "9999999999999999");
        assertRefused("the kill switch (--kill-switch) is between 0 (never) and 2147483647 s, not -1 s",
                "--kill-switch", "-1");
    }

    @Test
    void timeoutsBeyondTheirRangeAreRefusedNamingTheRange() {
        assertRefused("the idle timeout (--idle-timeout) is between 0.001 and 2147483 s (about 24 days), not 3000000 s",
                "--idle-timeout", "3000000");
        assertRefused("the idle timeout (--idle-timeout) is between 0.001 and 2147483 s (about 24 days), not 0 s",
                "--idle-timeout", "0");
        assertRefused("the request timeout (--request-timeout) is between 0.001 and 2147483 s (about 24 days), "
                + "not 9999999999999999 s", "--request-timeout", "9999999999999999");
    }

    /**
     * Runs {@code node} with {@code flags} and asserts it exits 2 before starting, with {@code message}
     * on stderr. Should it start anyway, it serves a temporary directory on a free port and stops
     * after a second (unless the kill switch is the flag under test), so the test fails rather than hangs.
     */
    private void assertRefused(String message, String... flags) {
        List<String> args = new ArrayList<>(List.of("node", "--store", dir.toString(), "--http-port", "0"));
        if (!List.of(flags).contains("--kill-switch")) {
            args.addAll(List.of("--kill-switch", "1"));
        }
        args.addAll(List.of(flags));
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new Main()).execute(args.toArray(new String[0]));
        } finally {
            System.setErr(original);
        }
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains(message);
        assertThat(code).isEqualTo(2);
    }

    @Test
    void unknownDurabilityIsRefused() {
        StringWriter errors = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(errors));
        int code = cli.execute("node", "--durability", "maybe");
        assertThat(code).isEqualTo(2);
        assertThat(errors.toString()).contains("durability is 'sync' or 'none'");
    }
}
