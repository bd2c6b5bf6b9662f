package io.dataplatform.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The node command's options, with the access options it shares with the projection worker through {@link AccessOptions}. */
class NodeCommandOptionsTest {

    @TempDir
    Path dir;

    @Test
    void theNodeKeepsEveryOptionAndTakesItsAccessOptionsFromTheSharedMixin() throws Exception {
        NodeCommand command = new NodeCommand();
        CommandLine line = new CommandLine(command);
        assertThat(line.getCommandSpec().options().stream().map(OptionSpec::longestName)).containsExactlyInAnyOrder(
                "--store", "--http-port", "--ip", "--kill-switch", "--durability", "--max-event-size", "--tokens",
                "--insecure", "--tls-cert", "--tls-key", "--idle-timeout", "--request-timeout", "--event-loops",
                "--help", "--version");
        assertThat(line.getCommandSpec().mixins()).containsKey("access");

        Path tokens = Files.writeString(dir.resolve("tokens"), "admin-token-0123456789 admin\nreader-token-0123456789 read:*\n");
        line.parseArgs("--ip", "0.0.0.0", "--tokens", tokens.toString(), "--insecure", "--http-port", "0");
        assertThat(command.access.ip()).isEqualTo("0.0.0.0");
        assertThat(command.access.insecure()).isTrue();
        assertThat(command.access.tokens().size()).isEqualTo(2);
        assertThat(command.httpPort).isZero();
    }
}
