package io.dataplatform.node;

import io.dataplatform.store.StoreId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The access tokens a node accepts, each with its scopes: {@code admin} (every route),
 * {@code read:<store>} and {@code write:<store>}, where the store is a store id, {@code *} (every
 * store) or a prefix followed by {@code *} ({@code read:tenant-a-*}). Read from lines of
 * {@code <token> <scope>,<scope>...}; {@code #} starts a comment line. A token is at least 16
 * printable ASCII characters without spaces.
 *
 * <p>Only SHA-256 digests of the tokens are kept; a presented token is compared with every one in
 * constant time. Nothing here ever prints a token: errors name the line, not its content.
 * Immutable and thread-safe.
 */
public final class Tokens {

    /** No tokens: the node is open (which it allows on loopback only, or with --insecure). */
    public static final Tokens NONE = new Tokens(List.of());

    static final int MIN_LENGTH = 16;

    /** What a route asks of the caller. */
    enum Access { READ, WRITE, ADMIN }

    /** One scope of a token: a kind of access to the stores its pattern matches (any store for admin). */
    record Scope(Access access, String storePattern) {
        boolean matches(String store) {
            if (storePattern.equals("*")) {
                return true;
            }
            if (storePattern.endsWith("*")) {
                return store != null && store.startsWith(storePattern.substring(0, storePattern.length() - 1));
            }
            return storePattern.equals(store);
        }

        @Override
        public String toString() {
            return access == Access.ADMIN ? "admin" : access.name().toLowerCase(Locale.ROOT) + ":" + storePattern;
        }
    }

    /** What one token may do. */
    record Grant(List<Scope> scopes) {
        /**
         * True if the token may do {@code access} to {@code store}; a null store (listing, metrics)
         * asks for that access to any store at all.
         */
        boolean allows(Access access, String store) {
            for (Scope scope : scopes) {
                if (scope.access() == Access.ADMIN) {
                    return true;
                }
                if (scope.access() == access && (store == null || scope.matches(store))) {
                    return true;
                }
            }
            return false;
        }
    }

    private record Entry(byte[] digest, Grant grant) {
    }

    private final List<Entry> entries;

    private Tokens(List<Entry> entries) {
        this.entries = entries;
    }

    /** Reads a tokens file ({@code --tokens FILE}). */
    public static Tokens fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokens file " + file + ": " + e.getMessage(), e);
        }
        return parse(List.of(text.split("\r?\n", -1)), "tokens file " + file);
    }

    /** Reads the {@code DP_TOKENS} form: the lines of a tokens file separated by {@code ;}. */
    public static Tokens fromEnvironment(String value) {
        return parse(List.of(value.split(";", -1)), "DP_TOKENS");
    }

    /**
     * Parses lines of {@code <token> <scopes>}.
     *
     * @throws IllegalArgumentException naming the source and line (never the token) of the first bad line
     */
    static Tokens parse(List<String> lines, String source) {
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + ", line " + (i + 1) + ": ";
            int space = indexOfWhitespace(line);
            if (space < 0) {
                throw new IllegalArgumentException(where + "a token needs its scopes after a space (e.g. 'read:sales,write:sales' or 'admin')");
            }
            String token = line.substring(0, space);
            if (token.length() < MIN_LENGTH || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException(where + "a token is at least " + MIN_LENGTH
                        + " printable ASCII characters without spaces");
            }
            if (!seen.add(token)) {
                throw new IllegalArgumentException(where + "this token is already listed on an earlier line");
            }
            List<Scope> scopes = new ArrayList<>();
            for (String part : line.substring(space).split(",")) {
                String scope = part.strip();
                if (!scope.isEmpty()) {
                    scopes.add(scope(scope, where));
                }
            }
            if (scopes.isEmpty()) {
                throw new IllegalArgumentException(where + "a token needs at least one scope");
            }
            entries.add(new Entry(digest(token), new Grant(List.copyOf(scopes))));
        }
        return new Tokens(List.copyOf(entries));
    }

    private static Scope scope(String text, String where) {
        if (text.equals("admin")) {
            return new Scope(Access.ADMIN, "*");
        }
        int colon = text.indexOf(':');
        String kind = colon < 0 ? text : text.substring(0, colon);
        Access access = switch (kind) {
            case "read" -> Access.READ;
            case "write" -> Access.WRITE;
            default -> throw new IllegalArgumentException(where + "unknown scope '" + text
                    + "'; scopes are admin, read:<store>, write:<store> (store: an id, '*', or a prefix and '*')");
        };
        String pattern = colon < 0 ? "" : text.substring(colon + 1);
        boolean valid = pattern.equals("*")
                || (pattern.endsWith("*") && pattern.length() > 1
                    && pattern.substring(0, pattern.length() - 1).chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-'))
                || StoreId.isValid(pattern);
        if (!valid) {
            throw new IllegalArgumentException(where + "scope '" + text + "' needs a store id, '*', or a prefix and '*' after '" + kind + ":'");
        }
        return new Scope(access, pattern);
    }

    private static int indexOfWhitespace(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (Character.isWhitespace(line.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    /**
     * The grant of a presented token, or empty if it is not one of these. Compares the token's
     * digest with every known digest, without stopping at a match, so that the time taken says
     * nothing about which bytes matched.
     */
    Optional<Grant> find(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] digest = digest(presented);
        Grant found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(digest, entry.digest()) & found == null) {
                found = entry.grant();
            }
        }
        return Optional.ofNullable(found);
    }

    /** Whether {@code presented} is one of these tokens (for servers beside the node that share its tokens). */
    public boolean knows(String presented) {
        return find(presented).isPresent();
    }

    /** Whether {@code presented} is a known token with the {@code admin} scope. */
    public boolean allowsAdmin(String presented) {
        return find(presented).map(grant -> grant.allows(Access.ADMIN, null)).orElse(false);
    }

    /** Whether {@code presented} is a known token that may read {@code store} (null: some store). */
    public boolean allowsRead(String presented, String store) {
        return find(presented).map(grant -> grant.allows(Access.READ, store)).orElse(false);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "Tokens[" + entries.size() + "]";
    }
}
