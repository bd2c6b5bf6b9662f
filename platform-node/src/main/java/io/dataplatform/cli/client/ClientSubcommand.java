package io.dataplatform.cli.client;

import io.dataplatform.client.PlatformClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * What every {@code client} subcommand shares: {@code --json} and {@code --quiet}, the stop switch
 * that Ctrl-C trips, progress lines on stderr, and printing the result (one line, or one JSON
 * object) on stdout. A subcommand implements {@link #execute()}; {@code bench1} calls it directly
 * on the commands it runs. Printing to the console happens here, in the command line, only.
 */
abstract class ClientSubcommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print the result as one JSON object instead of a line.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines on stderr.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    StopSwitch stop = StopSwitch.manual();
    PrintWriter err = new PrintWriter(System.err, true);
    /** Stops the run, as Ctrl-C does, once progress reaches this count (for tests). */
    long stopAfter = Long.MAX_VALUE;

    /** Runs the command: its checks, its loops, its figures. Honours {@link #stop}. */
    abstract CommandResult execute() throws Exception;

    String name() {
        if (spec != null) {
            return spec.name();
        }
        Command command = getClass().getAnnotation(Command.class);
        return command != null ? command.name() : getClass().getSimpleName();
    }

    /** Runs {@link #execute()} inside another command (bench1), sharing its stop switch and stderr. */
    CommandResult executeWithin(StopSwitch parentStop, PrintWriter parentErr, boolean quietProgress) throws Exception {
        this.stop = parentStop;
        this.err = parentErr;
        this.quiet = quietProgress;
        return execute();
    }

    Progress progress(String unit) {
        return new Progress(name(), unit, err, quiet, stop, stopAfter);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        try (StopSwitch shutdown = StopSwitch.onShutdown()) {
            stop = shutdown;
            CommandResult result;
            try {
                result = execute();
            } catch (UsageException e) {
                return fail(out, 2, "usage", e.getMessage(), name() + ": " + e.getMessage());
            } catch (PlatformClientException e) {
                return fail(out, 1, e.error(), e.detail(), name() + " failed: " + e.getMessage());
            } catch (Exception e) {
                return fail(out, 1, "failed", String.valueOf(e.getMessage()), name() + " failed: " + e);
            }
            out.println(json ? result.toJson() : result.line());
            out.flush();
            return result.exitCode();
        }
    }

    /**
     * Reports a failure: with {@code --json}, one JSON object on stdout like every result
     * ({@code command}, {@code summary}, {@code exitCode}, {@code error}, {@code detail}); else the
     * line on stderr.
     */
    private int fail(PrintWriter out, int exitCode, String error, String detail, String line) {
        if (json) {
            out.println(CommandResult.of(name()).put("error", error).put("detail", detail).exitCode(exitCode)
                    .summary("FAILED: " + detail).toJson());
            out.flush();
        } else {
            err.println(line);
            err.flush();
        }
        return exitCode;
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new UsageException(message);
        }
    }

    /** Bad options: exit code 2 and the message, no stack trace. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
