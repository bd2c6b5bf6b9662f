package io.dataplatform.projections.worker;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar projection-worker.jar}: runs a projection worker ({@link WorkerCommand}, the
 * default), or {@code views dump} prints a container's views as JSON lines ({@link ViewsCommand}).
 */
@Command(name = "projection-worker", mixinStandardHelpOptions = true, version = "Data Platform 0.1.0",
        description = "Data Platform projection worker.",
        subcommands = {WorkerCommand.class, ViewsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        boolean subcommand = args.length > 0 && (cli.getSubcommands().containsKey(args[0])
                || args[0].equals("--version") || args[0].equals("-V"));
        if (!subcommand && !(args.length > 0 && (args[0].equals("--help") || args[0].equals("-h")))) {
            String[] all = new String[args.length + 1];
            all[0] = "worker";
            System.arraycopy(args, 0, all, 1, args.length);
            args = all;
        }
        return cli.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
