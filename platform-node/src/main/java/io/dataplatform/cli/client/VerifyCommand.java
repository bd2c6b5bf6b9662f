package io.dataplatform.cli.client;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CorruptLogException;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.ReadLimits;
import io.dataplatform.store.Storage;
import io.dataplatform.store.StoreException;
import io.dataplatform.store.StoreReader;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * {@code client verify}: reads every record of a store from its files and checks the log against
 * its commit pointer. The engine's reader verifies each record (checksum, length, versions within
 * a read); this command adds what spans reads and files: versions contiguous from 1, the commit
 * pointer's version equal to the last record's, chunk files named by their first position and
 * covering the commit pointer (docs/storage-format.md). Stops at the first problem and names its
 * chunk file and position.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Reads every record of the store from its files (--location, default $DP_STORE or ./data) and checks",
                "checksums, lengths, versions (contiguous from 1), the commit pointer and the chunk files.",
                "Exit code 0 when clean, 1 on the first problem (named with its chunk file and position)."})
final class VerifyCommand extends StoreCommand {

    private static final String POINTER_FILE = "commit.chk";

    /** The first problem found: which file, which position, what. */
    private record Problem(String chunk, long position, String what) {
    }

    @Override
    CommandResult execute() {
        String where = location != null ? location : System.getenv().getOrDefault("DP_STORE", "./data");
        Path storeDirectory = Path.of(where).resolve(storeId().value());
        NavigableMap<Long, Path> chunks = new TreeMap<>();
        long events = 0;
        long bytes = 0;
        long lastVersion = 0;
        CommitPointer pointer = null;
        Problem problem = null;
        long start = System.nanoTime();
        try (Progress progress = progress("events")) {
            try (StoreReader reader = Storage.openReader(where, storeId())) {
                pointer = reader.commitPointer();
                problem = listChunks(storeDirectory.resolve("chunks"), chunks);
                long position = 0;
                while (problem == null && position < pointer.position() && !stop.stopping()) {
                    EventBatch batch;
                    try {
                        batch = reader.read(position, ReadLimits.DEFAULT_MAX_EVENTS, 4 * ReadLimits.DEFAULT_MAX_BYTES);
                    } catch (CorruptLogException e) {
                        problem = new Problem(e.chunk(), e.position(), withoutPlace(e.getMessage(), e.position()));
                        // count the records of the failed read that lie before the damage
                        try {
                            while (position < e.position()) {
                                EventBatch before = reader.read(position, ReadLimits.DEFAULT_MAX_EVENTS,
                                        (int) Math.min(e.position() - position, 4 * ReadLimits.DEFAULT_MAX_BYTES));
                                if (before.isEmpty() || before.next() > e.position()) {
                                    break;
                                }
                                events += before.size();
                                bytes += before.bytes();
                                lastVersion = before.version(before.size() - 1);
                                position = before.next();
                            }
                        } catch (CorruptLogException again) {
                            // the record holding the damage: counted as not verified
                        }
                        break;
                    } catch (StoreException | UncheckedIOException e) {
                        problem = new Problem(chunkOf(chunks, position), position, e.getMessage());
                        break;
                    }
                    if (batch.isEmpty()) {
                        problem = new Problem(chunkOf(chunks, position), position,
                                "no record where the log should continue up to the commit pointer " + pointer.position());
                        break;
                    }
                    for (int i = 0; i < batch.size() && batch.next(i) <= pointer.position(); i++) {
                        long version = batch.version(i);
                        if (version != lastVersion + 1) {
                            problem = new Problem(chunkOf(chunks, batch.position(i)), batch.position(i),
                                    "store version " + version + " where " + (lastVersion + 1) + " was expected");
                            break;
                        }
                        lastVersion = version;
                        events++;
                        bytes += batch.next(i) - batch.position(i);
                        position = batch.next(i);
                    }
                    progress.add(batch.size());
                }
                if (problem == null && !stop.stopping()) {
                    problem = checkPointer(pointer, lastVersion, chunks);
                }
            } catch (StoreException e) {
                // no store, or a missing or damaged commit pointer
                boolean exists = Files.isDirectory(storeDirectory.resolve("chunks"));
                problem = new Problem(exists ? POINTER_FILE : "(none)", 0, e.getMessage());
            }
        }
        long nanos = System.nanoTime() - start;
        CommandResult.Builder result = CommandResult.of(name())
                .put("store", store).put("location", where).put("ok", problem == null)
                .put("events", events).put("bytes", bytes).put("chunks", chunks.size()).put("lastVersion", lastVersion)
                .put("commitPosition", pointer == null ? -1 : pointer.position())
                .put("commitVersion", pointer == null ? -1 : pointer.version())
                .put("seconds", CommandResult.round(nanos / 1e9));
        String counts = String.format(Locale.ROOT, "%,d events, %,d bytes, %d chunk%s, last version %d", events, bytes,
                chunks.size(), chunks.size() == 1 ? "" : "s", lastVersion);
        if (problem != null) {
            return result.put("problemChunk", problem.chunk()).put("problemPosition", problem.position())
                    .put("problem", problem.what()).exitCode(1)
                    .summary("PROBLEM in store '" + store + "' chunk " + problem.chunk() + " at position "
                            + problem.position() + ": " + problem.what() + " (verified before it: " + counts + ")");
        }
        boolean partial = stop.stopping();
        return result.partial(partial).summary("store '" + store + "' " + (partial ? "verified so far" : "OK") + ": "
                + counts + ", commit pointer " + pointer.position() + "/" + pointer.version());
    }

    /** Reads the chunk listing; a file in the chunk directory that is not named as a chunk is a problem. */
    private static Problem listChunks(Path directory, NavigableMap<Long, Path> chunks) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.dat")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                long start = chunkStart(name);
                if (start < 0) {
                    return new Problem(name, 0, "a file in the chunk directory that is not named <20-digit position>.dat");
                }
                chunks.put(start, file);
            }
            return null;
        } catch (IOException e) {
            return new Problem("(none)", 0, "cannot list the chunk directory " + directory + ": " + e);
        }
    }

    /** The file-level checks once every record verified. */
    private static Problem checkPointer(CommitPointer pointer, long lastVersion, NavigableMap<Long, Path> chunks) {
        if (pointer.version() != lastVersion) {
            return new Problem(POINTER_FILE, pointer.position(), "the commit pointer says store version "
                    + pointer.version() + " but the last record before it has version " + lastVersion);
        }
        if (pointer.position() == 0) {
            return null;
        }
        if (chunks.isEmpty() || chunks.firstKey() != 0) {
            return new Problem(chunks.isEmpty() ? "(none)" : chunks.firstEntry().getValue().getFileName().toString(), 0,
                    "no chunk file starts at position 0");
        }
        Map.Entry<Long, Path> last = chunks.lowerEntry(pointer.position());
        try {
            long end = last.getKey() + Files.size(last.getValue());
            if (end < pointer.position()) {
                return new Problem(last.getValue().getFileName().toString(), end,
                        "the chunk file ends before the commit pointer " + pointer.position());
            }
        } catch (IOException e) {
            return new Problem(last.getValue().getFileName().toString(), last.getKey(), "cannot read its size: " + e);
        }
        return null;
    }

    /** An engine message without its "store ... chunk ... position N: " prefix, which the result says anyway. */
    private static String withoutPlace(String message, long position) {
        String place = "position " + position + ": ";
        int at = message.indexOf(place);
        return at < 0 ? message : message.substring(at + place.length());
    }

    private static String chunkOf(NavigableMap<Long, Path> chunks, long position) {
        Map.Entry<Long, Path> chunk = chunks.floorEntry(position);
        return chunk == null ? "(none)" : chunk.getValue().getFileName().toString();
    }

    /** The first position a chunk file name stands for, or -1 if it is not one. */
    static long chunkStart(String name) {
        if (name.length() != 24 || !name.endsWith(".dat")) {
            return -1;
        }
        try {
            String digits = name.substring(0, 20);
            return digits.chars().allMatch(Character::isDigit) ? Long.parseLong(digits) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
