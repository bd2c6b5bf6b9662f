package io.dataplatform.samples.webui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataplatform.client.PlatformClient;
import io.dataplatform.node.Node;
import io.dataplatform.projections.ProjectionStatus;
import io.dataplatform.node.NodeConfig;
import io.dataplatform.samples.continuous.dump.DumpGenerator;
import io.dataplatform.samples.continuous.dump.XmlParser;
import io.dataplatform.samples.continuous.events.CommentEvent;
import io.dataplatform.samples.continuous.events.EventCodec;
import io.dataplatform.samples.continuous.importer.BatchTransport;
import io.dataplatform.samples.continuous.importer.DumpImporter;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreStats;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The one-command demo: in this JVM, a node on {@code --data} (its default port), the UI, a
 * generated dump of {@code --posts} posts (under {@code <data>/../demo-dump}) and its import into
 * store {@code sample3}, with the phase and progress shown on the page, while the three sample-3
 * projections ({@link DemoProjections}) keep the views up to date; then new comments at
 * {@code --live-rate}. Owns the node, the projections, the UI and the view store it opens, and
 * closes them on exit.
 * Not thread-safe; the progress fields are read by the live feed's thread.
 */
final class Demo {
    private volatile String phase = "starting";
    private volatile String message = "Starting the node";
    private volatile Double fraction;

    /** Where the demo tells its progress (the command's standard output). */
    private final PrintStream console;

    private Demo(PrintStream console) {
        this.console = console;
    }

    static int run(WebUiMain options, PrintStream console) throws Exception {
        return new Demo(console).demo(options);
    }

    private JsonNode progress() {
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("phase", phase).put("message", message);
        if (fraction == null) {
            out.putNull("fraction");
        } else {
            out.put("fraction", fraction);
        }
        return out;
    }

    private int demo(WebUiMain options) throws Exception {
        StoreId store = StoreId.of(options.store);
        Path dumpDir = Path.of(options.data).toAbsolutePath().normalize().resolveSibling("demo-dump");
        try (Node node = Node.start(NodeConfig.defaults().withStoreLocation(options.data).withPort(options.nodePort));
             ViewStore views = ViewStores.open(options.views)) {
            DemoProjections projections = new DemoProjections(store, options.data, node.endpoint(), views);
            ProcessingSource processing = new ProcessingSource() {
                @Override
                public Head head() {
                    Optional<StoreStats> stats = node.engine().stats(store);
                    return stats.map(s -> new Head(s.commitPosition(), s.lastVersion())).orElse(null);
                }

                @Override
                public String state(String projection) {
                    ProjectionStatus status = projections.status(projection);
                    return status == null ? null : status.state().name();
                }

                @Override
                public String error(String projection) {
                    ProjectionStatus status = projections.status(projection);
                    return status == null ? null : status.error();
                }
            };
            try (projections; WebUi ui = WebUi.start(views, processing, this::progress, options.ip, options.httpPort, 250)) {
                console.printf("node on %s (stores in %s); web UI on http://%s:%d/%n", node.endpoint(), options.data,
                        options.ip, ui.port());
                DumpGenerator generator = new DumpGenerator(options.posts, 1);
                long rows = generator.posts() + generator.comments() + generator.users();
                if (!Files.exists(dumpDir.resolve("Comments.xml"))) {
                    phase = "generating";
                    message = String.format(Locale.ROOT, "Generating a dump of %,d posts, %,d comments, %,d users in %s",
                            generator.posts(), generator.comments(), generator.users(), dumpDir);
                    console.println(message);
                    Files.createDirectories(dumpDir);
                    generator.writeTo(dumpDir);
                }
                phase = "importing";
                message = String.format(Locale.ROOT, "Importing %,d rows into store %s", rows, store);
                console.println(message);
                Thread watcher = new Thread(() -> watchImport(node, store, rows), "demo-import-progress");
                watcher.setDaemon(true);
                watcher.start();
                try (PlatformClient client = PlatformClient.connect(options.data, store, node.endpoint())) {
                    new DumpImporter(client, XmlParser.AALTO, BatchTransport.HTTP, 20_000, 16 << 20,
                            new PrintStream(OutputStream.nullOutputStream()), false).run(dumpDir);
                }
                phase = "imported";
                fraction = 1.0;
                message = String.format(Locale.ROOT, "Imported %,d rows into store %s; the projections keep the views up to date",
                        rows, store);
                console.println(message);
                try (PlatformClient client = PlatformClient.connect(options.data, store, node.endpoint())) {
                    if (options.liveRate > 0) {
                        Thread live = new Thread(() -> appendLiveComments(client, generator, options.liveRate),
                                "demo-live-comments");
                        live.setDaemon(true);
                        live.start();
                    }
                    WebUiMain.awaitShutdown();
                }
            }
        }
        return 0;
    }

    /**
     * Appends new comments, {@code rate} a second, by the dump's users (the low ids, the busiest,
     * more often), dated now, so the page keeps moving after the import. Runs until the JVM exits.
     */
    private void appendLiveComments(PlatformClient client, DumpGenerator dump, double rate) {
        EventCodec codec = EventCodec.binary();
        java.util.Random random = new java.util.Random();
        long nextId = dump.comments() + 1_000_000;
        long pauseNanos = (long) (1e9 / rate);
        long appended = 0;
        while (!Thread.currentThread().isInterrupted()) {
            long user = 1 + (long) Math.floor(Math.pow(random.nextDouble(), 3) * Math.max(1, dump.users() - 1));
            CommentEvent comment = new CommentEvent(nextId++, 1 + random.nextInt((int) Math.min(Integer.MAX_VALUE,
                    Math.max(1, dump.posts()))), 0, "A live comment of the demo", System.currentTimeMillis(), user,
                    null, "CC BY-SA 4.0");
            int length = codec.encode(comment);
            try {
                client.append(CommentEvent.STREAM, java.util.Arrays.copyOf(codec.array(), length));
                appended++;
                message = String.format(Locale.ROOT, "Imported the dump into store %s; %,d live comments appended since"
                        + " (%s a second), projected as they come", client.store(), appended, rate);
                java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
            } catch (RuntimeException e) {
                message = "Appending live comments stopped: " + e.getMessage();
                return;
            }
        }
    }

    /** The import's progress as the store's version against the rows of the dump (each row is one event). */
    private void watchImport(Node node, StoreId store, long rows) {
        while ("importing".equals(phase)) {
            long version = node.engine().stats(store).map(StoreStats::lastVersion).orElse(0L);
            fraction = Math.min(1.0, version / (double) rows);
            message = String.format(Locale.ROOT, "Importing into store %s: %,d of %,d rows (%.0f %%)", store,
                    Math.min(version, rows), rows, 100 * fraction);
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
