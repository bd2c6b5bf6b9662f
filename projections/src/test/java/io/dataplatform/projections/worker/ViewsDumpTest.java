package io.dataplatform.projections.worker;

import io.dataplatform.views.ViewContainer;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ViewsDumpTest {

    @TempDir
    Path dir;

    @Test
    void dumpPrintsOneJsonObjectPerViewWithItsKeyFilteredByPrefix() {
        String location = dir.resolve("views").toString();
        try (ViewStore views = ViewStores.open(location)) {
            ViewContainer container = views.container("tags");
            container.write("tags/java", Map.of("posts", 3));
            container.write("tags/rust", Map.of("posts", 1));
            container.write("users/ann", Map.of("comments", 7));
        }
        assertThat(dump("views", "dump", "--location", location, "--container", "tags", "--prefix", "tags/"))
                .containsExactlyInAnyOrder("{\"key\":\"tags/java\",\"view\":{\"posts\":3}}",
                        "{\"key\":\"tags/rust\",\"view\":{\"posts\":1}}");
        assertThat(dump("views", "dump", "--location", location, "--container", "tags")).hasSize(3);
    }

    private static List<String> dump(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run(args);
        } finally {
            System.setOut(original);
        }
        assertThat(code).isZero();
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
