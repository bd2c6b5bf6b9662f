package io.dataplatform.cli;

import io.dataplatform.cli.client.ClientCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code platform-node.jar} command line: {@code node} (the default when no subcommand is
 * given) runs a node; {@code client} runs the test client's load, verification and benchmark
 * commands against one.
 */
@Command(name = "platform-node", mixinStandardHelpOptions = true, version = "Data Platform 0.1.0",
        description = "Data Platform: stores for very large event streams.",
        subcommands = {NodeCommand.class, ClientCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        return cli.execute(withDefaultSubcommand(cli, args));
    }

    /** The arguments with {@code node} in front unless they start with a subcommand. */
    static String[] withDefaultSubcommand(CommandLine cli, String... args) {
        return args.length == 0 || !isSubcommand(cli, args[0]) ? prepend("node", args) : args;
    }

    private static boolean isSubcommand(CommandLine cli, String arg) {
        return cli.getSubcommands().containsKey(arg) || arg.equals("--version") || arg.equals("-V");
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
