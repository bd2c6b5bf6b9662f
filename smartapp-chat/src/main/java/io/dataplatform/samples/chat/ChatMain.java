package io.dataplatform.samples.chat;

import io.dataplatform.client.PlatformClient;
import io.dataplatform.store.AppendResult;
import io.dataplatform.store.StoreId;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code java -jar smartapp-chat.jar --name alice}: a console chat through one store. Each line
 * typed (or piped in) is sent as an event; the others' lines are printed as they arrive. At the
 * end of the input (or {@code /quit}) the client announces leaving, waits until what it sent is
 * durable and what arrived meanwhile is printed, and exits.
 */
@Command(name = "smartapp-chat", mixinStandardHelpOptions = true,
        description = "A console chat between terminals through one store. Commands: /who, /quit.")
public final class ChatMain implements Callable<Integer> {
    @Option(names = "--name", required = true, description = "Your name in the chat.")
    String name;

    @Option(names = "--node", defaultValue = "${env:DP_NODE:-http://127.0.0.1:8080}", description = "The node (default: ${DEFAULT-VALUE}).")
    URI node;

    @Option(names = "--store", defaultValue = "chat", description = "The store holding the chat (default: ${DEFAULT-VALUE}).")
    String store;

    @Option(names = "--views", defaultValue = "${env:DP_VIEWS:-./views}",
            description = "Where the client keeps its last-read position (default: ${DEFAULT-VALUE}).")
    String views;

    @Option(names = "--heartbeat-ms", defaultValue = "30000",
            description = "Append a heartbeat after this many milliseconds without sending anything (default: ${DEFAULT-VALUE}).")
    long heartbeatMillis;

    @Option(names = "--presence-ms", defaultValue = "90000",
            description = "/who lists those seen within this many milliseconds; more than --heartbeat-ms (default: ${DEFAULT-VALUE}).")
    long presenceMillis;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ChatMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (name.isBlank() || name.length() > 100) {
            System.err.println("--name: 1 to 100 characters");
            return 2;
        }
        if (heartbeatMillis < 1 || presenceMillis <= heartbeatMillis) {
            System.err.println("--heartbeat-ms: at least 1, and less than --presence-ms");
            return 2;
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (ViewStore viewStore = ViewStores.open(views);
             PlatformClient client = PlatformClient.remote(node, StoreId.of(store))) {
            ChatClient chat = new ChatClient(client, viewStore.container(containerName(name)), name, out,
                    Duration.ofMillis(heartbeatMillis), Duration.ofMillis(presenceMillis));
            chat.start();
            AppendResult last = null;
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String trimmed = line.strip();
                if (trimmed.equals("/quit")) {
                    break;
                } else if (trimmed.equals("/who")) {
                    out.println("* present: " + chat.who());
                } else if (!trimmed.isEmpty()) {
                    last = chat.say(line);
                }
                if (chat.failure() != null) {
                    return 1;
                }
            }
            last = chat.leave();
            boolean printed = chat.awaitPrinted(last.next(), Duration.ofSeconds(60));
            chat.close();
            return printed ? 0 : 1;
        }
    }

    /**
     * The view container of one participant (each client holds its container's writer lock, so
     * two names never share one): {@code chat-}, the name's letters and digits, and a hash of the
     * whole name.
     */
    static String containerName(String name) {
        StringBuilder slug = new StringBuilder();
        for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                if (slug.length() < 30) {
                    slug.append(c);
                }
            }
        }
        return "chat-" + (slug.length() == 0 ? "" : slug + "-") + String.format("%08x", name.hashCode());
    }
}
