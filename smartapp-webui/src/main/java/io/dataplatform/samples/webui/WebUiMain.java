package io.dataplatform.samples.webui;

import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar smartapp-webui.jar}: serves the sample-3 views ({@code --views}) on
 * {@code --http-port}; with {@code --demo}, first starts a node, the projections and an import of a
 * generated dump in this JVM ({@link Demo}).
 */
@Command(name = "smartapp-webui", mixinStandardHelpOptions = true,
        description = "The web UI of sample 3: top tags, top commenters, comments by day of week, processing status, live.")
public final class WebUiMain implements Callable<Integer> {
    @Option(names = "--demo", description = "Start a node (./data), the sample-3 projections and an import of a generated dump in this JVM, then serve the UI.")
    boolean demo;

    @Option(names = "--http-port", defaultValue = "${env:DP_WEBUI_PORT:-8081}", description = "Port of the UI (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--ip", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String ip;

    @Option(names = "--views", defaultValue = "${env:DP_VIEWS:-./views}", description = "View location the projections write (default: ${DEFAULT-VALUE}).")
    String views;

    @Option(names = "--node", description = "Node whose store the projections read, for the lag (e.g. http://127.0.0.1:8080).")
    URI node;

    @Option(names = "--worker", description = "Projection worker running the projections, for their states (e.g. http://127.0.0.1:8083).")
    URI worker;

    @Option(names = "--store", defaultValue = "sample3", description = "Store the projections read (default: ${DEFAULT-VALUE}).")
    String store;

    @Option(names = "--posts", defaultValue = "50000", description = "Demo: posts in the generated dump (default: ${DEFAULT-VALUE}; 1.5 comments per post, a user per 4 posts).")
    long posts;

    @Option(names = "--data", defaultValue = "./data", description = "Demo: the node's storage location (default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--node-port", defaultValue = "8080", description = "Demo: port of the node (default: ${DEFAULT-VALUE}).")
    int nodePort;

    @Option(names = "--live-rate", defaultValue = "2", description = "Demo: new comments per second appended after the import, so the page keeps moving (0: none; default: ${DEFAULT-VALUE}).")
    double liveRate;

    public static void main(String[] args) {
        CommandLine command = new CommandLine(new WebUiMain());
        command.setExecutionExceptionHandler((e, line, parsed) -> {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.net.BindException) {
                    System.err.println("cannot listen: " + t.getMessage()
                            + " (another process holds the port: choose one with --http-port, or --node-port for the demo's node)");
                    return 1;
                }
            }
            throw e;
        });
        System.exit(command.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (demo) {
            return Demo.run(this, System.out);
        }
        try (ViewStore store = ViewStores.open(views);
             WebUi ui = WebUi.start(store, new HttpProcessingSource(node, worker, this.store), () -> null, ip, httpPort, 250)) {
            System.out.printf("sample-3 web UI on http://%s:%d/ (views %s)%n", ip, ui.port(), views);
            awaitShutdown();
        }
        return 0;
    }

    static void awaitShutdown() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        stop.await();
    }
}
