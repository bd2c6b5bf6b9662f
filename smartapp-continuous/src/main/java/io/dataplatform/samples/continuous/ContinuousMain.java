package io.dataplatform.samples.continuous;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar smartapp-continuous.jar <command>}: the StackExchange dump generator and
 * importer, the sample-3 projections and the event-size distribution (sample 2).
 */
@Command(name = "smartapp-continuous", mixinStandardHelpOptions = true,
        description = "Samples 2 and 3: a StackExchange dump into a store, and projections over it.",
        subcommands = {GenerateCommand.class, ImportCommand.class, Sample3Command.class, SizesCommand.class,
                BenchParseCommand.class, BenchCodecCommand.class})
public final class ContinuousMain {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line; returns the exit code (for tests). */
    public static int run(String... args) {
        return new CommandLine(new ContinuousMain()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    // a failure the user can act on reads as one line, with its cause
                    command.getErr().println(command.getCommandName() + ": " + e.getMessage()
                            + (e.getCause() != null && e.getCause() != e ? " (" + e.getCause() + ")" : ""));
                    return 1;
                })
                .execute(args);
    }
}
