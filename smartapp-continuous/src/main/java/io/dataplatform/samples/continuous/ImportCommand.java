package io.dataplatform.samples.continuous;

import io.dataplatform.client.PlatformClient;
import io.dataplatform.samples.continuous.dump.XmlParser;
import io.dataplatform.samples.continuous.importer.BatchTransport;
import io.dataplatform.samples.continuous.importer.DumpImporter;
import io.dataplatform.samples.continuous.importer.FileReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code import --dump DIR}: streams a dump into a store, resuming an interrupted import. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Streams a StackExchange dump into a store in large atomic batches; an interrupted import resumes where it stopped.")
final class ImportCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--dump", required = true, description = "Directory holding Users.xml, Posts.xml, Comments.xml.")
    Path dump;

    @Option(names = "--parser", defaultValue = "fast",
            description = "How rows are read: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: a byte scanner, Aalto for what it does not recognise).")
    XmlParser parser;

    @Option(names = "--transport", defaultValue = "http", description = "How batches reach the node: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    BatchTransport transport;

    @Option(names = "--batch-rows", defaultValue = "50000", description = "Rows per batch at most (default: ${DEFAULT-VALUE}).")
    int batchRows;

    @Option(names = "--batch-mb", defaultValue = "32", description = "Megabytes of events per batch at most (default: ${DEFAULT-VALUE}).")
    int batchMegabytes;

    @Override
    public Integer call() throws Exception {
        if (!java.nio.file.Files.isDirectory(dump)) {
            System.err.println("import: --dump " + dump + " is not a directory");
            return 2;
        }
        long start = System.nanoTime();
        List<FileReport> reports;
        DumpImporter importer;
        try (PlatformClient client = common.client()) {
            importer = new DumpImporter(client, parser, transport, batchRows, batchMegabytes << 20, System.out,
                    System.console() != null);
            reports = importer.run(dump);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long bad = 0;
        for (FileReport report : reports) {
            bad += report.bad();
            if (!report.alreadyDone()) {
                double rows = Math.max(1, report.rows());
                double mb = Math.max(1e-9, report.bytes() / 1e6);
                System.out.printf("%-12s %,d rows (%,d bad), %,d events, %,.1f MB in %.2f s: %,.0f rows/s, %,.1f MB/s%n",
                        report.file(), report.rows(), report.bad(), report.events(),
                        report.bytes() / 1e6, report.seconds(), report.rows() / Math.max(1e-9, report.seconds()),
                        report.bytes() / 1e6 / Math.max(1e-9, report.seconds()));
                System.out.printf("%-12s CPU: parsing+encoding %.2f s (%.2f us/row, %.1f ms/MB), appending (client) %.2f s (%.2f us/row, %.1f ms/MB)%n",
                        "", report.parseCpuSeconds(), report.parseCpuSeconds() * 1e6 / rows, report.parseCpuSeconds() * 1e3 / mb,
                        report.appendCpuSeconds(), report.appendCpuSeconds() * 1e6 / rows, report.appendCpuSeconds() * 1e3 / mb);
                if (report.secondsFromFirstByte() > report.seconds()) {
                    System.out.printf("%-12s from its first byte read (overlapping the previous file's last appends): %.2f s, %,.0f rows/s%n",
                            "", report.secondsFromFirstByte(), report.rows() / report.secondsFromFirstByte());
                }
            }
            for (String reason : report.reasons()) {
                System.out.println("  bad row: " + reason);
            }
            if (report.bad() > report.reasons().size()) {
                System.out.println("  ... and " + (report.bad() - report.reasons().size()) + " more bad rows");
            }
        }
        System.out.printf("imported into store %s in %.1f s (parsing and encoding %.1f s, appending %.1f s overlapping them); %,d bad rows skipped%n",
                common.store, seconds, importer.parseSeconds(), importer.storeSeconds(), bad);
        double processCpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() / 1e9 : Double.NaN;
        System.out.printf("CPU: parsing thread %.2f s, appending thread %.2f s, whole process %.2f s (JVM start, JIT and GC included); load average %s%n",
                importer.parsingCpuSeconds(), importer.appendingCpuSeconds(), processCpu, loadAverage());
        return 0;
    }

    private static String loadAverage() {
        try {
            String[] parts = java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (java.io.IOException | RuntimeException e) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
