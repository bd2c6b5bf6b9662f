package io.dataplatform.samples.continuous.importer;

import io.dataplatform.client.PlatformClient;
import io.dataplatform.samples.continuous.dump.BadRowException;
import io.dataplatform.samples.continuous.dump.DumpFile;
import io.dataplatform.samples.continuous.dump.EventBuffer;
import io.dataplatform.samples.continuous.dump.RowSource;
import io.dataplatform.samples.continuous.dump.XmlParser;
import io.dataplatform.samples.continuous.events.CommentEvent;
import io.dataplatform.samples.continuous.events.PostEvent;
import io.dataplatform.samples.continuous.events.UserEvent;
import io.dataplatform.store.NewEvent;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.StoreReader;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Streams a StackExchange dump into a store: {@code Posts.xml}, {@code Comments.xml},
 * {@code Users.xml}, in that order ({@link DumpFile}), in batches of up to {@code batchRows} rows and
 * {@code batchBytes} bytes. Each batch is a {@link BatchHeader} followed by its rows' events,
 * appended atomically; the headers already in the store say where a restarted import continues,
 * so that no row is written twice. Bad rows are counted, reported and skipped.
 *
 * <p>Two threads: the parsing thread reads rows and encodes their events straight into the
 * batch's buffer ({@link RowSource}); the calling thread appends batches, at most two behind
 * (bounded memory), so that on two cores parsing, appending and the node's work overlap. Each
 * thread's CPU time is counted per file ({@link FileReport}). One importer per store at a time; an
 * instance runs once. Not thread-safe.
 */
public final class DumpImporter {
    private static final Object END = new Object();

    private final PlatformClient client;
    private final XmlParser parser;
    private final BatchTransport transport;
    private final int batchRows;
    private final int batchBytes;
    private final PrintStream out;
    private final boolean terminal;
    private final List<FileReport> reports = new ArrayList<>();
    private volatile boolean appending = true;
    private volatile long parseNanos;
    private volatile long parsingCpuNanos;
    private long storeNanos;
    private long appendingCpuNanos;
    /** When the last batch of the previous file was acknowledged; 0 before the first. */
    private long lastFileDurable;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public DumpImporter(PlatformClient client, XmlParser parser, BatchTransport transport, int batchRows,
            int batchBytes, PrintStream out, boolean terminal) {
        if (batchRows < 1 || batchRows > 99_999 || batchBytes < 1 << 16 || batchBytes > 60 << 20) {
            throw new IllegalArgumentException("a batch holds 1 to 99,999 rows and 64 KiB to 60 MiB");
        }
        this.client = client;
        this.parser = parser;
        this.transport = transport;
        this.batchRows = batchRows;
        this.batchBytes = batchBytes;
        this.out = out;
        this.terminal = terminal;
    }

    /** A batch ready to append: its header, its events (the header's first), and what it covers. */
    private record Batch(BatchHeader header, List<NewEvent> events, long rows, long bytes, FileReport report,
            List<byte[]> arrays) {
    }

    /**
     * Arrays of appended batches, for the next batches to encode into (instead of a new array of
     * tens of MiB per batch for the garbage collector): at most the batches in flight.
     */
    private final BlockingQueue<byte[]> spareArrays = new ArrayBlockingQueue<>(4);

    /** Imports the dump in {@code dir}; returns a report per file found. */
    public List<FileReport> run(Path dir) throws IOException, InterruptedException {
        ImportLog log = existingLog();
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (ProgressLine progress = new ProgressLine(out, terminal)) {
            Thread parsing = new Thread(() -> {
                long cpu = cpuNow();
                try {
                    for (DumpFile file : DumpFile.values()) {
                        produce(dir, file, log.last(file.fileName()), queue, progress);
                    }
                } catch (Throwable e) {
                    failure.set(e);
                } finally {
                    parsingCpuNanos = cpuNow() - cpu;
                    putQuietly(queue, END);
                }
            }, "import-parsing");
            parsing.setDaemon(true);
            parsing.start();
            try {
                consume(queue, failure);
            } finally {
                appending = false; // the parsing thread stops handing over batches
                queue.clear();
                parsing.interrupt();
                parsing.join();
            }
        }
        if (failure.get() != null) {
            Throwable e = failure.get();
            if (e instanceof IOException io) {
                throw io;
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        return List.copyOf(reports);
    }

    private ImportLog existingLog() {
        try (StoreReader reader = client.reader()) {
            return ImportLog.scan(reader, 0);
        } catch (StoreNotFoundException e) {
            return ImportLog.empty(); // the first batch creates the store
        }
    }

    private void consume(BlockingQueue<Object> queue, AtomicReference<Throwable> failure) throws InterruptedException {
        while (true) {
            Object next = queue.take();
            if (next == END || failure.get() != null) {
                return;
            }
            Batch batch = (Batch) next;
            long start = System.nanoTime();
            long cpu = cpuNow();
            transport.append(client, batch.events());
            for (byte[] array : batch.arrays()) {
                spareArrays.offer(array); // the request is answered: nothing refers to the array any more
            }
            long used = cpuNow() - cpu;
            appendingCpuNanos += used;
            batch.report().appendCpuNanos += used;
            long now = System.nanoTime();
            storeNanos += now - start;
            if (batch.header().done()) {
                batch.report().durable(now, lastFileDurable); // the file's last rows are in the store
                lastFileDurable = now;
            }
        }
    }

    /** CPU time of the calling thread, or 0 where the JVM does not measure it. */
    private static long cpuNow() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
    }

    private void produce(Path dir, DumpFile kind, BatchHeader previous, BlockingQueue<Object> queue,
            ProgressLine progress) throws IOException, InterruptedException {
        Path path = dir.resolve(kind.fileName());
        if (!Files.isRegularFile(path)) {
            out.println(kind.fileName() + ": not in " + dir + ", skipped");
            return;
        }
        long size = Files.size(path);
        if (previous != null && previous.size() != size) {
            throw new IllegalStateException("the store " + client.store().value() + " holds rows of another "
                    + kind.fileName() + " (" + previous.size() + " bytes; this one has " + size
                    + "): import this dump into a new store");
        }
        long skip = previous == null ? 0 : previous.to();
        long badBefore = previous == null ? 0 : previous.bad();
        FileReport report = new FileReport(kind.fileName(), size, skip);
        reports.add(report);
        if (previous != null && previous.done()) {
            report.alreadyDone = true;
            out.println(kind.fileName() + ": already imported (" + previous.to() + " rows), skipped");
            return;
        }
        long start = System.nanoTime();
        report.started(start);
        long cpuStart = cpuNow();
        NewEvent header = NewEvent.of(BatchHeader.STREAM, "{}");
        NewEvent template = NewEvent.of(kind == DumpFile.USERS ? UserEvent.STREAM
                : kind == DumpFile.POSTS ? PostEvent.STREAM : CommentEvent.STREAM, "");
        try (RowSource reader = RowSource.open(path, kind, parser)) {
            for (long i = 0; i < skip; i++) {
                if (!reader.next()) {
                    throw new IllegalStateException("the store holds " + skip + " rows of " + kind.fileName()
                            + " but the file has only " + i + ": import this dump into a new store");
                }
            }
            if (skip > 0) {
                out.println(kind.fileName() + ": continuing after row " + skip);
            }
            progress.show(kind.fileName(), size, reader::bytesRead, report::rows);
            long from = skip;
            EventBuffer buffer = new EventBuffer(batchBytes + (1 << 16));
            buffer.renew(spareArrays.poll());
            List<byte[]> arrays = new ArrayList<>(2);
            arrays.add(buffer.array());
            List<NewEvent> events = new ArrayList<>(batchRows + 1);
            events.add(null); // the header, once the batch is complete
            long bytesInBatch = 0;
            long rows = 0;
            boolean ended = false;
            long t0 = System.nanoTime();
            while (!ended) {
                if (!reader.next()) {
                    ended = true;
                } else {
                    rows++;
                    try {
                        int length = reader.encode(buffer);
                        if (buffer.array() != arrays.get(arrays.size() - 1)) {
                            arrays.add(buffer.array()); // an event did not fit: the buffer took a new array
                        }
                        events.add(template.withData(buffer.array(), buffer.lastStart(), length));
                        bytesInBatch += length;
                    } catch (BadRowException e) {
                        report.badRow(reader.number(), reader.line(), e.getMessage());
                    }
                }
                long rowsInBatch = skip + rows - from;
                if (ended || rowsInBatch >= batchRows || bytesInBatch >= batchBytes) {
                    long t1 = System.nanoTime();
                    parseNanos += t1 - t0;
                    report.rows = rows;
                    report.events = rows - report.bad;
                    long to = skip + rows;
                    BatchHeader batchHeader = new BatchHeader(kind.fileName(), size, from, to, badBefore + report.bad, ended);
                    events.set(0, header.withData(batchHeader.toJson()));
                    handOver(queue, new Batch(batchHeader, events, to - from, bytesInBatch, report, arrays));
                    report.bytes = reader.bytesRead();
                    from = to;
                    events = new ArrayList<>(batchRows + 1);
                    events.add(null);
                    buffer.renew(spareArrays.poll());
                    arrays = new ArrayList<>(2);
                    arrays.add(buffer.array());
                    bytesInBatch = 0;
                    t0 = System.nanoTime();
                }
            }
            report.bytes = size;
        } finally {
            report.parseNanos = System.nanoTime() - start;
            report.parseCpuNanos = cpuNow() - cpuStart;
            progress.finish();
        }
    }

    /** Puts {@code item} on the queue, waiting for room while the calling thread still appends. */
    private void handOver(BlockingQueue<Object> queue, Object item) throws InterruptedException {
        while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
            if (!appending) {
                throw new InterruptedException("appending stopped");
            }
        }
    }

    /** {@link #handOver} of the end marker, whatever the interrupt status. */
    private void putQuietly(BlockingQueue<Object> queue, Object item) {
        while (appending) {
            try {
                if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                // keep trying while the calling thread appends: it waits for this marker
            }
        }
    }

    /** Time the parsing thread spent reading rows and encoding their events (not waiting to hand over batches). */
    public double parseSeconds() {
        return parseNanos / 1e9;
    }

    /** CPU time of the parsing thread (reading, parsing, encoding, handing over). */
    public double parsingCpuSeconds() {
        return parsingCpuNanos / 1e9;
    }

    /** CPU time of the appending thread (the client building and sending requests, reading answers). */
    public double appendingCpuSeconds() {
        return appendingCpuNanos / 1e9;
    }

    /** Time spent appending batches, answer included (calling thread, overlapping the parsing). */
    public double storeSeconds() {
        return storeNanos / 1e9;
    }
}
