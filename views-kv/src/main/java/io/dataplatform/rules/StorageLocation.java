package io.dataplatform.rules;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One storage location string, as every store and view backend reads it. The one rule:
 * <ul>
 *   <li>{@code rocksdb:DIR} is a RocksDB database in the directory {@code DIR}, optionally followed
 *       by {@code ?parameters} that the backend reads;</li>
 *   <li>{@code memory:} or {@code memory:NAME} is memory of this JVM (view stores only);</li>
 *   <li>an Azure Storage connection string, a list of {@code Key=Value} pairs separated by
 *       {@code ;} whose first key is one Azure uses ({@code DefaultEndpointsProtocol},
 *       {@code AccountName}, {@code BlobEndpoint}, {@code UseDevelopmentStorage}, ...), optionally
 *       followed by {@code |container}, is Azure blob storage;</li>
 *   <li>anything else is a directory path: files.</li>
 * </ul>
 * A directory whose name merely holds a {@code =} ({@code /data/run=1}) is thus still a
 * directory. Backends decide whether they accept a location by its {@link #kind()}; none
 * re-parses the string. Immutable; {@link #toString()} masks account keys and signatures.
 *
 * @param kind      which backend family the location names
 * @param address   the directory ({@code FILE}; {@code ROCKSDB}, with its {@code ?parameters}), the connection string without its
 *                  container ({@code AZURE}), or the space's name, possibly empty ({@code MEMORY})
 * @param container the container after {@code |} of an Azure location, or null
 */
public record StorageLocation(Kind kind, String address, String container) {

    /** The backend families; {@link #backendName()} is the name of the plugin that serves them. */
    public enum Kind {
        FILE("file"), ROCKSDB("rocksdb"), AZURE("azure"), MEMORY("memory");

        private final String backendName;

        Kind(String backendName) {
            this.backendName = backendName;
        }

        /** The plugin name of this kind's backend: {@code file}, {@code rocksdb}, {@code azure}, {@code memory}. */
        public String backendName() {
            return backendName;
        }
    }

    public static final String ROCKSDB_PREFIX = "rocksdb:";
    public static final String MEMORY_PREFIX = "memory:";

    /** Keys an Azure Storage connection string may start with (compared ignoring case). */
    private static final Set<String> AZURE_KEYS = Set.of("defaultendpointsprotocol", "accountname", "accountkey",
            "blobendpoint", "queueendpoint", "tableendpoint", "fileendpoint", "endpointsuffix",
            "sharedaccesssignature", "usedevelopmentstorage", "developmentstorageproxyuri");

    private static final Pattern SECRETS = Pattern.compile("(?i)(AccountKey|SharedAccessSignature|sig)=[^;|&]*");

    public StorageLocation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
        if (container != null && kind != Kind.AZURE) {
            throw new IllegalArgumentException("only Azure locations name a container");
        }
    }

    /**
     * Reads a location string by the rule above.
     *
     * @throws IllegalArgumentException if it is null or blank, a {@code rocksdb:} location names no
     *                                  directory, or an Azure location's container breaks the
     *                                  {@link StorageName} rule
     */
    public static StorageLocation parse(String location) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("a storage location is required (a directory, rocksdb:DIR,"
                    + " memory:NAME or an Azure connection string)");
        }
        if (location.startsWith(ROCKSDB_PREFIX)) {
            String directory = location.substring(ROCKSDB_PREFIX.length());
            int question = directory.indexOf('?');
            if ((question < 0 ? directory : directory.substring(0, question)).isBlank()) {
                throw new IllegalArgumentException("the location 'rocksdb:' names no directory (rocksdb:DIR)");
            }
            return new StorageLocation(Kind.ROCKSDB, directory, null);
        }
        if (location.startsWith(MEMORY_PREFIX)) {
            return new StorageLocation(Kind.MEMORY, location.substring(MEMORY_PREFIX.length()), null);
        }
        if (isAzureConnectionString(location)) {
            int bar = location.lastIndexOf('|');
            if (bar < 0) {
                return new StorageLocation(Kind.AZURE, location, null);
            }
            String container = location.substring(bar + 1);
            String broken = StorageName.brokenRule(container, "a container name");
            if (broken != null) {
                throw new IllegalArgumentException("the container after '|' in the Azure location '"
                        + redacted(location) + "' is invalid: " + broken);
            }
            return new StorageLocation(Kind.AZURE, location.substring(0, bar), container);
        }
        return new StorageLocation(Kind.FILE, location, null);
    }

    /** The kind of {@code location}, or null if it is not a location at all (null, blank, malformed). */
    public static Kind kindOf(String location) {
        try {
            return parse(location).kind();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** True if {@code location} is valid and of {@code kind}; what a backend's {@code accepts} asks. */
    public static boolean is(String location, Kind kind) {
        return kindOf(location) == kind;
    }

    /** The directory of a {@code FILE} or {@code ROCKSDB} location (without a {@code rocksdb:} location's {@code ?parameters}). */
    public Path directory() {
        if (kind != Kind.FILE && kind != Kind.ROCKSDB) {
            throw new IllegalStateException("a " + kind.backendName() + " location has no directory");
        }
        int question = kind == Kind.ROCKSDB ? address.indexOf('?') : -1;
        return Path.of(question < 0 ? address : address.substring(0, question));
    }

    /** {@code location} fit for messages and logs: account keys and signatures masked. */
    public static String redacted(String location) {
        return location == null ? "null" : SECRETS.matcher(location).replaceAll("$1=***");
    }

    /** The location as it was written, secrets masked. */
    @Override
    public String toString() {
        return switch (kind) {
            case FILE -> address;
            case ROCKSDB -> ROCKSDB_PREFIX + address;
            case MEMORY -> MEMORY_PREFIX + address;
            case AZURE -> redacted(address) + (container == null ? "" : "|" + container);
        };
    }

    private static boolean isAzureConnectionString(String location) {
        int equals = location.indexOf('=');
        if (equals <= 0) {
            return false;
        }
        String firstKey = location.substring(0, equals).trim().toLowerCase(Locale.ROOT);
        return AZURE_KEYS.contains(firstKey);
    }
}
