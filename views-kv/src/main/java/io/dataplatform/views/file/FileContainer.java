package io.dataplatform.views.file;

import io.dataplatform.views.spi.BackendContainer;
import io.dataplatform.views.spi.DocumentVersion;
import io.dataplatform.views.spi.StoredDocument;
import io.dataplatform.views.spi.Uninterruptible;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One container as a directory:
 * <pre>
 * &lt;root&gt;/&lt;container&gt;/views/...       one file per view, named by {@link KeyPaths}; plain JSON
 * &lt;root&gt;/&lt;container&gt;/checkpoint.json  the checkpoint
 * &lt;root&gt;/&lt;container&gt;/generation       the generation: "&lt;writer id&gt;-&lt;count&gt;", replaced after view files change
 * &lt;root&gt;/&lt;container&gt;/journal.log      the journal ({@link JournalFile}); writer only
 * &lt;root&gt;/&lt;container&gt;/writer.lock      the writer lock ({@link WriterLock}); writer only
 * &lt;root&gt;/&lt;container&gt;/tmp/            documents being written, renamed into place; emptied on open
 * </pre>
 * A document is written to {@code tmp/}, then renamed over its file: readers see the old or the
 * new document, never a mix. Written files are not synced one by one; {@link DirtyFiles} syncs
 * them in bulk when the core asks. After writing views the writer replaces {@code generation}
 * (never synced: it only tells readers in other processes to check their cached views again); a
 * random id per opened writer keeps a token from ever coming back.
 *
 * <p>An interrupt of a thread using the container changes nothing: documents are written through
 * a {@link FileOutputStream} (not interruptible), read through {@link Uninterruptible}, and the
 * journal is not a channel either ({@link JournalFile}); the thread's interrupt status is kept.
 *
 * <p>Thread-safety: reads from any thread; document writes from one thread at a time, and journal
 * appends from one thread at a time, possibly alongside document writes (they share no state).
 */
final class FileContainer implements BackendContainer {

    private final Path dir;
    private final Path views;
    private final Path tmp;
    private final Path checkpoint;
    private final Path generation;
    private final JournalFile journal;
    private final WriterLock lock;
    private final DirtyFiles dirty;
    private final AtomicLong tmpCounter = new AtomicLong();
    /** Random per opened writer (null for a reader): no two writers ever publish the same generation. */
    private final String writerId;
    private long generations;
    /** Whether views were put or deleted since the generation was last published (a new writer publishes at once). */
    private volatile boolean changed = true;

    private FileContainer(Path dir, JournalFile journal, WriterLock lock, DirtyFiles dirty) {
        this.dir = dir;
        this.views = dir.resolve("views");
        this.tmp = dir.resolve("tmp");
        this.checkpoint = dir.resolve("checkpoint.json");
        this.generation = dir.resolve("generation");
        this.writerId = journal == null ? null : Long.toHexString(new SecureRandom().nextLong());
        this.journal = journal;
        this.lock = lock;
        this.dirty = dirty;
    }

    static FileContainer openReader(Path dir) {
        return new FileContainer(dir, null, null, null);
    }

    static FileContainer openWriter(Path dir, String name, FileSync sync) throws IOException {
        boolean created = !Files.isDirectory(dir);
        Files.createDirectories(dir.resolve("views"));
        Files.createDirectories(dir.resolve("tmp"));
        WriterLock lock = new WriterLock(dir.resolve("writer.lock"), name);
        try {
            try (Stream<Path> leftovers = Files.list(dir.resolve("tmp"))) {
                for (Path leftover : (Iterable<Path>) leftovers::iterator) {
                    Files.deleteIfExists(leftover);
                }
            }
            boolean journalExisted = Files.exists(dir.resolve("journal.log"));
            JournalFile journal = new JournalFile(dir.resolve("journal.log"));
            if (created || !journalExisted) {
                // the journal must not vanish with its directory entry after a power loss
                sync.forceDirectory(dir);
                sync.forceDirectory(dir.getParent());
            }
            return new FileContainer(dir, journal, lock, new DirtyFiles(dir, sync));
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    @Override
    public StoredDocument get(String key) throws IOException {
        Path file = file(key);
        try {
            // Version first, bytes second: if a write slips in between, the version is older than
            // the bytes, which costs one needless re-read later, never a stale document.
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new StoredDocument(readAll(file), version(attributes));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public DocumentVersion version(String key) throws IOException {
        try {
            return version(Files.readAttributes(file(key), BasicFileAttributes.class));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public DocumentVersion put(String key, byte[] document) throws IOException {
        Path file = file(key);
        Path written = writeTemporary(document);
        DocumentVersion version = version(Files.readAttributes(written, BasicFileAttributes.class));
        try {
            move(written, file);
        } catch (NoSuchFileException e) {
            Files.createDirectories(file.getParent());
            move(written, file);
        }
        dirty.written(file);
        changed = true;
        return version;
    }

    @Override
    public boolean delete(String key) throws IOException {
        Path file = file(key);
        boolean existed = Files.deleteIfExists(file);
        dirty.written(file);
        changed = true;
        return existed;
    }

    @Override
    public Stream<String> keys(String prefix) throws IOException {
        return FileKeyListing.keys(views, prefix);
    }

    @Override
    public byte[] readCheckpoint() throws IOException {
        try {
            return readAll(checkpoint);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public void writeCheckpoint(byte[] document) throws IOException {
        move(writeTemporary(document), checkpoint);
        dirty.written(checkpoint);
    }

    @Override
    public DocumentVersion generation() throws IOException {
        try {
            return new DocumentVersion(new String(readAll(generation), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return null; // no writer published one yet: readers check each view's version
        }
    }

    @Override
    public void publishGeneration() throws IOException {
        writer();
        if (!changed) {
            return;
        }
        changed = false;
        try {
            move(writeTemporary((writerId + "-" + (++generations)).getBytes(StandardCharsets.UTF_8)), generation);
        } catch (IOException | RuntimeException e) {
            changed = true;
            throw e;
        }
    }

    @Override
    public void appendJournal(byte[] entry) throws IOException {
        writer().append(entry);
    }

    @Override
    public List<byte[]> readJournal() throws IOException {
        return writer().read();
    }

    @Override
    public long journalBytes() {
        return journal == null ? 0 : journal.size();
    }

    @Override
    public void syncDocuments() throws IOException {
        writer();
        dirty.sync();
    }

    @Override
    public void dropJournal() throws IOException {
        writer().drop();
    }

    @Override
    public boolean documentsDurableOnPut() {
        return false;
    }

    @Override
    public void close() throws IOException {
        if (journal != null) {
            try {
                journal.close();
            } finally {
                lock.close();
            }
        }
    }

    private JournalFile writer() throws IOException {
        if (journal == null) {
            throw new IOException("container " + dir + " is open for reading only");
        }
        return journal;
    }

    private Path file(String key) throws IOException {
        Path file = views;
        for (String component : KeyPaths.components(key)) {
            file = file.resolve(component);
        }
        if (!file.normalize().startsWith(views)) { // cannot happen with escaped names; checked anyway
            throw new IOException("key '" + key + "' maps outside " + views);
        }
        return file;
    }

    private Path writeTemporary(byte[] document) throws IOException {
        Path written = tmp.resolve(System.nanoTime() + "-" + tmpCounter.incrementAndGet());
        // A stream, not a channel: an interrupt cannot cut the write short. The name is new (a
        // counter of this writer, which alone writes to tmp/, emptied when it opened).
        try (FileOutputStream out = new FileOutputStream(written.toFile())) {
            out.write(document);
        }
        return written;
    }

    /** {@code Files.readAllBytes} reads through a channel of its own: an interrupt must not fail the read. */
    private static byte[] readAll(Path file) throws IOException {
        return Uninterruptible.call(() -> Files.readAllBytes(file));
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + to + " cannot rename atomically", e);
        }
    }

    private static DocumentVersion version(BasicFileAttributes attributes) {
        // Every write renames a new file into place: its identity (inode) changes even when the
        // clock is coarse; mtime and size guard against inode reuse.
        return new DocumentVersion(attributes.fileKey() + "/" + attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS)
                + "/" + attributes.size());
    }
}
