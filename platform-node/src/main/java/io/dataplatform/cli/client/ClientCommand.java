package io.dataplatform.cli.client;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code platform-node client}: the test client (the original's Platform.TestClient), load,
 * verification and benchmark commands against a running node and its storage.
 */
@Command(name = "client", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Load, verification and benchmark commands against a running node (see docs/test-client.md).",
                "Each prints a one-line result on stdout (--json: one JSON object) and progress on stderr."},
        subcommands = {WriteFloodCommand.class, BatchFloodCommand.class, EnumerateCommand.class,
                ViewFloodCommand.class, PointerFloodCommand.class, SmartAppBenchCommand.class,
                VerifyCommand.class, CopyCommand.class, Bench1Command.class, CommandLine.HelpCommand.class})
public final class ClientCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
