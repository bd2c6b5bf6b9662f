package io.dataplatform.cli;

import io.dataplatform.node.Node;
import io.dataplatform.node.NodeConfig;
import io.dataplatform.node.Tokens;
import io.dataplatform.rules.StorageLocation;
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
            description = "Storage location: a directory, or an Azure connection string with an optional '|container' (env DP_STORE, default ${DEFAULT-VALUE}).")
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

    @Option(names = "--tokens", paramLabel = "FILE",
            description = "Access tokens, one a line: '<token> <scope>,<scope>' with scopes admin, read:<store>, "
                    + "write:<store> (store: an id, '*', or a prefix and '*'); '#' comments. Without it, the "
                    + "env DP_TOKENS holds the same lines separated by ';'. No tokens: every route is open.")
    Path tokensFile;

    @Option(names = "--insecure", defaultValue = "${env:DP_INSECURE:-false}",
            description = "Allow listening on an address other than loopback without tokens (env DP_INSECURE).")
    boolean insecure;

    @Option(names = "--tls-cert", defaultValue = "${env:DP_TLS_CERT}", paramLabel = "PEM",
            description = "Serve HTTPS with this PEM certificate (chain) (env DP_TLS_CERT); needs --tls-key.")
    Path tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:DP_TLS_KEY}", paramLabel = "PEM",
            description = "PEM private key of --tls-cert (env DP_TLS_KEY).")
    Path tlsKey;

    @Option(names = "--idle-timeout", defaultValue = "${env:DP_IDLE_TIMEOUT:-60}",
            description = "Close connections idle this many seconds (env DP_IDLE_TIMEOUT, default ${DEFAULT-VALUE}).")
    long idleTimeoutSeconds;

    @Option(names = "--request-timeout", defaultValue = "${env:DP_REQUEST_TIMEOUT:-60}",
            description = "Seconds a client has to send a request's head, and again its body; slower "
                    + "connections are dropped (env DP_REQUEST_TIMEOUT, default ${DEFAULT-VALUE}).")
    long requestTimeoutSeconds;

    @Option(names = "--event-loops", defaultValue = "${env:DP_EVENT_LOOPS:-0}",
            description = "Event loops serving HTTP; 0 for one per core (env DP_EVENT_LOOPS, default ${DEFAULT-VALUE}).")
    int eventLoops;

    @Override
    public Integer call() {
        NodeConfig config;
        try {
            config = NodeConfig.defaults().withStoreLocation(store).withHost(ip).withPort(httpPort)
                    .withKillSwitch(Duration.ofSeconds(killSwitchSeconds)).withDurability(durability)
                    .withMaxEventSize(maxEventSize).withTokens(tokens()).withInsecure(insecure)
                    .withTls(tlsCert, tlsKey)
                    .withIdleTimeout(Duration.ofSeconds(idleTimeoutSeconds))
                    .withRequestTimeout(Duration.ofSeconds(requestTimeoutSeconds));
            if (eventLoops != 0) {
                config = config.withEventLoops(eventLoops);
            }
            config.checkExposure();
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
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
        System.out.printf("Data Platform node listening on %s, data in %s (durability %s); access: %s%n", node.endpoint(),
                describe(store), durability.name().toLowerCase(Locale.ROOT), config.tokens().isEmpty()
                        ? "open to all, no tokens (" + (insecure ? "--insecure" : "loopback only") + ")"
                        : config.tokens().size() + " token(s), checked on every route");
        System.out.flush();
        node.stopped().join();
        System.out.println("Data Platform node stopped");
        return 0;
    }

    /** The tokens of --tokens FILE, else of DP_TOKENS, else none. */
    private Tokens tokens() {
        if (tokensFile != null) {
            return Tokens.fromFile(tokensFile);
        }
        String fromEnvironment = System.getenv("DP_TOKENS");
        return fromEnvironment == null || fromEnvironment.isBlank() ? Tokens.NONE : Tokens.fromEnvironment(fromEnvironment);
    }

    /** A directory as an absolute path; another backend's location as written, account keys and signatures masked. */
    private static String describe(String location) {
        if (StorageLocation.kindOf(location) != StorageLocation.Kind.FILE) {
            return StorageLocation.redacted(location);
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
