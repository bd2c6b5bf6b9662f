package io.dataplatform.projections.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.dataplatform.views.ViewReader;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code projection-worker views dump}: how a person, or a script, looks at views. */
@Command(name = "views", mixinStandardHelpOptions = true, description = "Looks at view containers.",
        subcommands = ViewsCommand.Dump.class)
final class ViewsCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /**
     * Prints one JSON object per line, {@code {"key": ..., "view": ...}}, for each view of a container
     * (keys in the backend's listing order), read through views-kv's reader without taking the
     * container's writer lock, so it runs beside the worker that writes it. Memory stays flat.
     */
    @Command(name = "dump", mixinStandardHelpOptions = true,
            description = "Prints a container's views as JSON lines: {\"key\": ..., \"view\": ...}.")
    static final class Dump implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Option(names = "--location", required = true, paramLabel = "L", description = "The view store's location.")
        String location;

        @Option(names = "--container", required = true, paramLabel = "C", description = "The container.")
        String container;

        @Option(names = "--prefix", paramLabel = "P", defaultValue = "", description = "Only keys starting with this.")
        String prefix;

        @Override
        public Integer call() throws IOException {
            BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
            try (ViewStore store = ViewStores.open(location); Stream<String> keys = store.reader(container).keys(prefix)) {
                ViewReader reader = store.reader(container);
                Iterator<String> it = keys.iterator();
                while (it.hasNext()) {
                    String key = it.next();
                    byte[] document = reader.readBytes(key);
                    if (document == null) {
                        continue; // deleted while listing
                    }
                    ObjectNode line = JSON.createObjectNode();
                    line.put("key", key);
                    line.set("view", parse(document));
                    out.write(JSON.writeValueAsString(line));
                    out.write('\n');
                }
            } catch (RuntimeException e) {
                out.flush();
                System.err.println("cannot dump container '" + container + "': " + e.getMessage());
                return 1;
            }
            out.flush();
            return 0;
        }

        private static JsonNode parse(byte[] document) {
            try {
                return JSON.readTree(document);
            } catch (IOException e) {
                return new TextNode(new String(document, StandardCharsets.UTF_8)); // not JSON: shown as a string
            }
        }
    }
}
