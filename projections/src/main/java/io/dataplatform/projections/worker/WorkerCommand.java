package io.dataplatform.projections.worker;

import io.dataplatform.cli.AccessOptions;
import io.dataplatform.node.Tokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code projection-worker worker} (the default): runs the worker until SIGTERM/SIGINT, then stops
 * every projection after its current batch and exits 0. Flags win over {@code DP_*} environment
 * variables, which win over defaults.
 */
@Command(name = "worker", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = "Runs projections and serves their REST API (Kafka Connect style).")
final class WorkerCommand implements Callable<Integer> {

    @Option(names = "--http-port", defaultValue = "${env:DP_HTTP_PORT:-8083}",
            description = "HTTP port, 0 for any free one (env DP_HTTP_PORT, default ${DEFAULT-VALUE}).")
    int httpPort;

    @Mixin
    AccessOptions access;

    @Option(names = "--plugins", paramLabel = "DIR", defaultValue = "${env:DP_PLUGINS}",
            description = "Plugin directory: each jar, and each subdirectory of jars, loads in a class loader of its own (env DP_PLUGINS).")
    Path plugins;

    @Option(names = "--config-dir", paramLabel = "DIR", defaultValue = "${env:DP_CONFIG_DIR}",
            description = "Where projection configurations persist; a restarted worker resumes them (env DP_CONFIG_DIR). "
                    + "Without it they live in memory.")
    Path configDir;

    @Option(names = "--node", paramLabel = "URL", defaultValue = "${env:DP_NODE}",
            description = "The node projections read over HTTP when they give no store.location (env DP_NODE).")
    URI node;

    @Override
    public Integer call() {
        Tokens tokens;
        try {
            tokens = access.tokens();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        String ip = access.ip();
        if (tokens.isEmpty() && !access.insecure() && !isLoopback(ip)) {
            System.err.println("refusing to listen on " + ip + " without access tokens: every route would be open to the "
                    + "network. Give --tokens FILE (or DP_TOKENS), bind 127.0.0.1, or pass --insecure");
            return 2;
        }
        WorkerServer server;
        try {
            server = WorkerServer.start(new WorkerServer.Settings(ip, httpPort, plugins, configDir, node, tokens));
        } catch (RuntimeException e) {
            System.err.println("projection worker could not start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        System.out.printf("Data Platform projection worker listening on http://%s:%d (%d projection(s), %d plugin(s)%s)%n",
                ip, server.port(), server.worker().names().size(), server.worker().plugins().plugins().size(),
                server.worker().plugins().failures().isEmpty() ? ""
                        : ", " + server.worker().plugins().failures().size() + " plugin failure(s): see GET /projection-plugins");
        System.out.flush();
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        System.out.println("projection worker stopped");
        return 0;
    }

    private static boolean isLoopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
