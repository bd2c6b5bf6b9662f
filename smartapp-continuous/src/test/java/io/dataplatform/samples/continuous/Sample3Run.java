package io.dataplatform.samples.continuous;

import io.dataplatform.client.PlatformClient;
import io.dataplatform.projections.Projection;
import io.dataplatform.projections.RunnerSettings;
import io.dataplatform.samples.continuous.dump.XmlParser;
import io.dataplatform.samples.continuous.importer.BatchTransport;
import io.dataplatform.samples.continuous.importer.DumpImporter;
import io.dataplatform.samples.continuous.importer.FileReport;
import io.dataplatform.samples.continuous.projection.InProcessProjections;
import io.dataplatform.store.StoreId;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the importer and the sample-3 projections in the test's JVM. */
public final class Sample3Run {
    public static final StoreId STORE = StoreId.of("sample3");

    private Sample3Run() {
    }

    public static List<FileReport> importDump(Path storage, URI node, Path dump, int batchRows) throws Exception {
        try (PlatformClient client = PlatformClient.connect(storage.toString(), STORE, node)) {
            PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            return new DumpImporter(client, XmlParser.FAST, BatchTransport.HTTP, batchRows, 4 << 20, out, false).run(dump);
        }
    }

    public static void projectUntilCaughtUp(Path storage, URI node, Path views) throws Exception {
        try (ViewStore store = ViewStores.open(views.toString());
             InProcessProjections running = new InProcessProjections(STORE, storage.toString(), node)) {
            for (Map.Entry<String, Projection> entry : Sample3Command.projections().entrySet()) {
                running.start(entry.getKey(), entry.getValue(), entry.getKey(), store,
                        RunnerSettings.defaults().withBatch(2_000, 4 << 20), null);
            }
            assertThat(running.awaitCaughtUp(Duration.ofMinutes(5), () -> { }))
                    .as("caught up: %s", running.statuses()).isTrue();
        }
    }
}
