package io.dataplatform.cli;

import io.dataplatform.node.Node;
import io.dataplatform.node.NodeConfig;
import io.dataplatform.store.Durability;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;
import sun.misc.Signal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code platform-node node}: runs a node until SIGTERM/SIGINT, {@code POST /system/shutdown} or
 * the kill switch, then stops gracefully and exits 0. Flags win over {@code DP_*} environment
 * variables, which win over defaults.
 */
@Command(name = "node", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = "Runs a node: the HTTP API over the stores of one storage location.")
final class NodeCommand implements Callable<Integer> {

    @Option(names = "--store", defaultValue = "${env:DP_STORE:-" + NodeConfig.DEFAULT_STORE + "}",
            description = "Storage location: a directory (env DP_STORE, default ${DEFAULT-VALUE}).")
    String store;

    @Option(names = "--http-port", defaultValue = "${env:DP_HTTP_PORT:-" + NodeConfig.DEFAULT_PORT + "}",
            description = "HTTP port, 0 for any free one (env DP_HTTP_PORT, default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--ip", defaultValue = "${env:DP_IP:-" + NodeConfig.DEFAULT_HOST + "}",
            description = "Address to bind (env DP_IP, default ${DEFAULT-VALUE}).")
    String ip;

    @Option(names = "--kill-switch", defaultValue = "${env:DP_KILL_SWITCH:-0}",
            description = "Stop gracefully after this many seconds; 0 never (env DP_KILL_SWITCH, default ${DEFAULT-VALUE}).")
    long killSwitchSeconds;

    @Option(names = "--durability", defaultValue = "${env:DP_DURABILITY:-sync}", converter = DurabilityConverter.class,
            description = "sync: acknowledge after fsync; none: after the write (env DP_DURABILITY, default ${DEFAULT-VALUE}).")
    Durability durability;

    @Option(names = "--max-event-size", defaultValue = "${env:DP_MAX_EVENT_SIZE:-2097152}",
            description = "Largest event data in bytes (env DP_MAX_EVENT_SIZE, default ${DEFAULT-VALUE}).")
    int maxEventSize;

    @Override
    public Integer call() {
        if (killSwitchSeconds < 0) {
            System.err.println("--kill-switch must be 0 or more seconds, not " + killSwitchSeconds);
            return 2;
        }
        NodeConfig config;
        try {
            config = NodeConfig.defaults().withStoreLocation(store).withHost(ip).withPort(httpPort)
                    .withKillSwitch(Duration.ofSeconds(killSwitchSeconds)).withDurability(durability)
                    .withMaxEventSize(maxEventSize);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        Node node;
        try {
            node = Node.start(config);
        } catch (RuntimeException e) {
            System.err.println("Data Platform node could not start: " + e.getMessage());
            return 1;
        }
        Runnable stop = () -> node.stop();
        Signal.handle(new Signal("TERM"), signal -> stop.run());
        Signal.handle(new Signal("INT"), signal -> stop.run());
        System.out.printf("Data Platform node listening on %s, data in %s (durability %s)%n", node.endpoint(),
                describe(store), durability.name().toLowerCase(Locale.ROOT));
        System.out.flush();
        node.stopped().join();
        System.out.println("Data Platform node stopped");
        return 0;
    }

    private static String describe(String location) {
        if (location.contains("=")) {
            return "a connection string's storage account"; // never print account keys
        }
        try {
            return Path.of(location).toAbsolutePath().normalize().toString();
        } catch (RuntimeException e) {
            return location;
        }
    }

    static final class DurabilityConverter implements ITypeConverter<Durability> {
        @Override
        public Durability convert(String value) {
            try {
                return Durability.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("durability is 'sync' or 'none', not '" + value + "'");
            }
        }
    }
}
