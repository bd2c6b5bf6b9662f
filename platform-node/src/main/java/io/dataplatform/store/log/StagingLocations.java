package io.dataplatform.store.log;

import io.dataplatform.store.InvalidInputException;

import java.util.List;

/**
 * The rule every backend's {@link io.dataplatform.store.StagingArea} applies to a staging
 * location: a relative path of plain names separated by {@code /}. Refused: an empty location,
 * control characters, a leading {@code /} or {@code \}, a {@code :} (drive letters, URLs),
 * backslashes, and the names {@code .} and {@code ..}, so that no location can leave the area.
 * Stateless.
 */
public final class StagingLocations {

    private StagingLocations() {
    }

    /**
     * The names of {@code location}, from the area down.
     *
     * @throws InvalidInputException naming the rule the location breaks
     */
    public static List<String> names(String location) {
        if (location == null || location.isBlank()) {
            throw refused(location, "a staging location is required");
        }
        if (location.chars().anyMatch(Character::isISOControl)) {
            throw refused(location, "it holds control characters");
        }
        if (location.startsWith("/") || location.startsWith("\\") || location.contains(":")) {
            throw refused(location, "it is absolute; give a path relative to the staging area");
        }
        if (location.contains("\\")) {
            throw refused(location, "it holds '\\'; separate names with '/'");
        }
        List<String> names = List.of(location.split("/+"));
        for (String name : names) {
            if (name.equals("..") || name.equals(".")) {
                throw refused(location, "it holds '" + name + "'");
            }
        }
        return names;
    }

    /** The error for a location that breaks a rule. */
    public static InvalidInputException refused(String location, String why) {
        return new InvalidInputException(null, "staging location '" + location + "' is refused: " + why);
    }
}
