package io.dataplatform.projections.worker;

import io.dataplatform.cli.AccessOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker command's options, with the access options it shares with the node through {@link AccessOptions}. */
class WorkerCommandOptionsTest {

    @TempDir
    Path dir;

    @Test
    void theWorkerKeepsEveryOptionAndTakesItsAccessOptionsFromTheNodesMixin() throws Exception {
        WorkerCommand command = new WorkerCommand();
        CommandLine line = new CommandLine(command);
        assertThat(line.getCommandSpec().options().stream().map(OptionSpec::longestName)).containsExactlyInAnyOrder(
                "--http-port", "--ip", "--plugins", "--config-dir", "--node", "--tokens", "--insecure", "--help", "--version");
        assertThat(line.getCommandSpec().mixins().get("access").userObject()).isInstanceOf(AccessOptions.class);

        Path tokens = Files.writeString(dir.resolve("tokens"), "admin-token-0123456789 admin\n");
        line.parseArgs("--ip", "0.0.0.0", "--tokens", tokens.toString(), "--plugins", dir.toString());
        assertThat(command.access.ip()).isEqualTo("0.0.0.0");
        assertThat(command.access.insecure()).isFalse();
        assertThat(command.access.tokens().size()).isEqualTo(1);
        assertThat(command.httpPort).as("the worker's own default, not the node's").isEqualTo(8083);
        assertThat(command.plugins).isEqualTo(dir);
    }
}
