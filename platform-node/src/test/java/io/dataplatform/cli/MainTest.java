package io.dataplatform.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

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

    @Test
    void aNodeWithoutEventLoopsIsRefused() {
        java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.err;
        System.setErr(new java.io.PrintStream(errors, true, java.nio.charset.StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new Main()).execute("node", "--event-loops", "-1");
        } finally {
            System.setErr(original);
        }
        assertThat(code).isEqualTo(2);
        assertThat(errors.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("eventLoops must be at least 1");
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
