package io.dataplatform.views.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** Lists the keys under a views directory by prefix, lazily, walking only the directory the prefix's whole segments lead to. */
final class FileKeyListing {

    private FileKeyListing() {
    }

    static Stream<String> keys(Path views, String prefix) throws IOException {
        int slash = prefix.lastIndexOf('/');
        Path start = views;
        if (slash > 0) {
            List<String> segments = Arrays.asList(prefix.substring(0, slash).split("/", -1));
            for (String component : KeyPaths.directoryComponents(segments)) {
                start = start.resolve(component);
            }
        }
        if (!start.normalize().startsWith(views) || !Files.isDirectory(start)) {
            return Stream.empty();
        }
        return Files.find(start, Integer.MAX_VALUE, (path, attributes) -> attributes.isRegularFile())
                .map(path -> KeyPaths.key(components(views.relativize(path))))
                .filter(Objects::nonNull)
                .filter(key -> key.startsWith(prefix));
    }

    private static List<String> components(Path relative) {
        List<String> components = new ArrayList<>(relative.getNameCount());
        for (Path name : relative) {
            components.add(name.toString());
        }
        return components;
    }
}
