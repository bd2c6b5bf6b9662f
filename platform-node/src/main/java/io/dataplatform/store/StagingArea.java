package io.dataplatform.store;

import java.nio.file.Path;

/**
 * The only place batch files may be imported from. Resolving a location refuses anything that
 * would leave it: {@code ..}, absolute paths, symbolic links, and names that are not plain file
 * names below the area.
 */
public interface StagingArea {

    /** The directory itself. */
    Path root();

    /**
     * The staged file named by {@code location}, a path relative to the area.
     *
     * @throws InvalidInputException naming the rule the location breaks, or if no such file exists
     */
    Path resolve(String location);
}
