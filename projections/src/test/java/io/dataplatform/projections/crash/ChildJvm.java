package io.dataplatform.projections.crash;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a class of the test class path in a child JVM, stdout and stderr appended to a log file. */
final class ChildJvm {

    private ChildJvm() {
    }

    static Process start(Path log, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path")));
        command.addAll(List.of(args).subList(0, (int) List.of(args).stream().takeWhile(a -> a.startsWith("-D")).count()));
        command.add(mainClass);
        command.addAll(List.of(args).stream().dropWhile(a -> a.startsWith("-D")).toList());
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }
}
