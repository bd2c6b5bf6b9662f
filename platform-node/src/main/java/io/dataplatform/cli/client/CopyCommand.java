package io.dataplatform.cli.client;

import io.dataplatform.store.CorruptLogException;
import io.dataplatform.store.Durability;
import io.dataplatform.store.EngineOptions;
import io.dataplatform.store.InvalidStoreIdException;
import io.dataplatform.store.StoreHeldException;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.copy.CopyLocation;
import io.dataplatform.store.copy.CopyResult;
import io.dataplatform.store.copy.CopyStoppedException;
import io.dataplatform.store.copy.StoreCopy;
import io.dataplatform.store.copy.TargetExistsException;
import io.dataplatform.rules.StorageLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;

/**
 * {@code client copy}: copies a store from one storage location to another (files and Azure blobs
 * in any direction) with {@link StoreCopy}: every record verified, the bytes, chunk layout, commit
 * pointer and incarnation kept. Needs no node: it reads and writes the storage directly.
 */
@Command(name = "copy", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Copies store --store from storage location --from to --to (a directory, or an Azure connection",
                "string with an optional |container), as --to-store (default: the same id). Every record is verified",
                "(checksum, positions, versions) and written as it is: same bytes, same chunks, same commit pointer,",
                "same incarnation. Refuses to overwrite a store; an interrupted copy resumes when run again.",
                "Exit code 0 when copied, 1 on a damaged source record (named with its chunk and position) or a refusal."})
final class CopyCommand extends ClientSubcommand {

    @Option(names = "--from", required = true, description = "The source storage location.")
    String from;

    @Option(names = "--to", required = true, description = "The target storage location.")
    String to;

    @Option(names = "--store", required = true, description = "The store to copy.")
    String store;

    @Option(names = "--to-store", description = "The store id at the target (default: --store).")
    String toStore;

    @Override
    CommandResult execute() throws Exception {
        StoreId source = storeId(store, "--store");
        StoreId target = toStore == null ? source : storeId(toStore, "--to-store");
        require(StorageLocation.kindOf(from) != null, "--from is not a storage location: " + StorageLocation.redacted(from));
        require(StorageLocation.kindOf(to) != null, "--to is not a storage location: " + StorageLocation.redacted(to));
        EngineOptions options = EngineOptions.defaults().withDurability(Durability.SYNC);
        CommandResult.Builder result = CommandResult.of(name()).put("store", source.value()).put("toStore", target.value());
        try (CopyLocation sourceLocation = CopyLocation.open(from, options);
             CopyLocation targetLocation = CopyLocation.open(to, options);
             Progress progress = progress("bytes")) {
            result.put("from", sourceLocation.describe()).put("to", targetLocation.describe());
            if (sourceLocation.describe().equals(targetLocation.describe()) && source.equals(target)) {
                throw new UsageException("--from and --to are the same location and store");
            }
            long[] reported = {0};
            StoreCopy copy = new StoreCopy(sourceLocation, targetLocation, (events, bytes) -> {
                progress.add(bytes - reported[0]);
                reported[0] = bytes;
            }, stop::stopping);
            CopyResult copied;
            try {
                copied = copy.copy(source, target);
            } catch (CorruptLogException e) {
                return result.put("ok", false).put("error", "corrupt").put("problemChunk", e.chunk())
                        .put("problemPosition", e.position()).put("problem", e.getMessage()).exitCode(1)
                        .summary("PROBLEM in store '" + source + "' chunk " + e.chunk() + " at position " + e.position()
                                + ": " + e.getMessage() + "; nothing of it was committed at the target");
            } catch (TargetExistsException e) {
                return refused(result, "target_exists", e.getMessage());
            } catch (StoreHeldException e) {
                return refused(result, "store_held", e.getMessage());
            } catch (StoreNotFoundException e) {
                return refused(result, "store_not_found", "store '" + source + "' is not in " + sourceLocation.describe());
            } catch (CopyStoppedException e) {
                return result.put("ok", false).put("reachedPosition", e.reached().position())
                        .put("reachedVersion", e.reached().version()).partial(true)
                        .summary("store '" + source + "' copied up to " + e.reached().position() + "/"
                                + e.reached().version() + "; run the same command again to resume");
            }
            double seconds = copied.nanos() / 1e9;
            double megabytes = CommandResult.megabytesPerSecond(copied.bytes(), copied.nanos());
            return result.put("ok", true).put("events", copied.events()).put("bytes", copied.bytes())
                    .put("chunks", copied.chunks()).put("commitPosition", copied.pointer().position())
                    .put("commitVersion", copied.pointer().version()).put("incarnation", copied.incarnation())
                    .put("resumedFrom", copied.resumedFrom()).put("seconds", CommandResult.round(seconds))
                    .put("megabytesPerSecond", megabytes)
                    .summary(String.format(Locale.ROOT,
                            "store '%s' copied to '%s': %,d events, %,d bytes%s, %d chunk%s, commit pointer %d/%d,"
                                    + " incarnation %s, in %.2f s (%.2f MB/s), every record verified",
                            source, target, copied.events(), copied.bytes(),
                            copied.resumedFrom() > 0 ? " (resumed at " + copied.resumedFrom() + ")" : "",
                            copied.chunks(), copied.chunks() == 1 ? "" : "s", copied.pointer().position(),
                            copied.pointer().version(), copied.incarnation(), seconds, megabytes));
        }
    }

    private static CommandResult refused(CommandResult.Builder result, String error, String detail) {
        return result.put("ok", false).put("error", error).put("detail", detail).exitCode(1)
                .summary("REFUSED: " + detail);
    }

    private static StoreId storeId(String value, String option) {
        try {
            return StoreId.of(value);
        } catch (InvalidStoreIdException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }
}
