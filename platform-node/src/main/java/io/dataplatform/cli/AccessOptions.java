package io.dataplatform.cli;

import io.dataplatform.node.NodeConfig;
import io.dataplatform.node.Tokens;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The options a server command shares (a picocli mixin: {@code @Mixin AccessOptions access}): the
 * address it binds ({@code --ip}), its access tokens ({@code --tokens}, else {@code DP_TOKENS}) and
 * {@code --insecure}. Used by the node and the projection worker, so both read them alike. Each
 * command keeps its own {@code --http-port}: their defaults differ.
 */
public final class AccessOptions {

    @Option(names = "--ip", defaultValue = "${env:DP_IP:-" + NodeConfig.DEFAULT_HOST + "}",
            description = "Address to bind (env DP_IP, default ${DEFAULT-VALUE}); elsewhere than loopback needs "
                    + "tokens (or --insecure).")
    String ip;

    @Option(names = "--tokens", paramLabel = "FILE",
            description = "Access tokens, one a line: '<token> <scope>,<scope>' with scopes admin, read:<store>, "
                    + "write:<store> (store: an id, '*', or a prefix and '*'); '#' comments. Without it, the "
                    + "env DP_TOKENS holds the same lines separated by ';'. No tokens: every route is open.")
    Path tokensFile;

    @Option(names = "--insecure", defaultValue = "${env:DP_INSECURE:-false}",
            description = "Allow listening on an address other than loopback without tokens (env DP_INSECURE).")
    boolean insecure;

    /** The address to bind. */
    public String ip() {
        return ip;
    }

    /** Whether listening beyond loopback without tokens is allowed. */
    public boolean insecure() {
        return insecure;
    }

    /**
     * The tokens of {@code --tokens FILE}, else of {@code DP_TOKENS}, else none.
     *
     * @throws IllegalArgumentException if they cannot be parsed
     * @throws java.io.UncheckedIOException if the file cannot be read
     */
    public Tokens tokens() {
        if (tokensFile != null) {
            return Tokens.fromFile(tokensFile);
        }
        String fromEnvironment = System.getenv("DP_TOKENS");
        return fromEnvironment == null || fromEnvironment.isBlank() ? Tokens.NONE : Tokens.fromEnvironment(fromEnvironment);
    }
}
