package io.dataplatform.views;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;

/** The contract on the {@code file} backend, plus what only files can show. */
class FileViewStoreTest extends ViewStoreContract {

    @TempDir
    Path temp;

    @Override
    String location() {
        return temp.resolve("root").toString();
    }

    @Test
    void anInterruptedDropLeavesNoContainer() throws IOException {
        checkAnInterruptedDropLeavesNoContainer(temp.resolve("root"));
    }

    @Test
    void aViewIsAPlainJsonFileReadableWithCat() throws IOException {
        ViewContainer views = open().container("chat");
        views.write("users/42", new Counter("ann", 7));
        views.commit(List.of(), Checkpoint.at(99));
        Path container = temp.resolve("root").resolve("chat");
        // written behind the commit by the flusher, within one flush interval
        Await.until(Duration.ofSeconds(10), "the flusher writes the view and the checkpoint", () ->
                contentOf(container.resolve("views/users/42.json")).equals("{\"name\":\"ann\",\"count\":7}")
                        && contentOf(container.resolve("checkpoint.json")).equals("{\"position\":99,\"metadata\":{}}"));
    }

    private static String contentOf(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    @Test
    void nothingIsEverWrittenOutsideTheContainerDirectory() throws IOException {
        Path root = temp.resolve("root");
        Path container = root.resolve("safe");
        ViewContainer views = open().container("safe");
        List<String> valid = HostileKeys.oddButValid().toList();
        for (String key : valid) {
            views.writeBytes(key, "{}".getBytes(UTF_8));
        }
        for (Arguments refused : HostileKeys.invalid().toList()) {
            String key = (String) refused.get()[0];
            assertThatThrownBy(() -> views.writeBytes(key, "{}".getBytes(UTF_8))).isInstanceOf(InvalidViewKeyException.class);
        }
        views.commit(valid.stream().map(ViewChange::delete).toList(), Checkpoint.at(1));
        views.commit(valid.stream().map(key -> ViewChange.write(key, "[]".getBytes(UTF_8))).toList(), Checkpoint.at(2));

        try (Stream<Path> all = Files.walk(temp)) {
            for (Path path : all.toList()) {
                if (path.equals(temp) || path.equals(root)) {
                    continue;
                }
                assertThat(path).as("every file lives in the container directory").startsWith(container);
                String name = path.getFileName().toString();
                assertThat(name.getBytes(UTF_8).length).as("name length of %s", path).isLessThanOrEqualTo(255);
                assertThat(name).as("name of %s", path).isNotIn(".", "..")
                        .doesNotStartWith(".").doesNotEndWith(".").doesNotEndWith(" ")
                        .matches("[A-Za-z0-9_%~.-]+");
                String base = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
                assertThat(base.toUpperCase(Locale.ROOT)).as("windows device name %s", path)
                        .doesNotMatch("CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9]");
            }
        }
        assertThat(keys(views, "")).containsExactlyInAnyOrderElementsOf(valid);
        for (String key : valid) {
            assertThat(views.readBytes(key)).as(key).asString(UTF_8).isEqualTo("[]");
        }
    }

    @Test
    void strayFilesInTheViewsDirectoryAreNotListedAsKeys() throws IOException {
        ViewContainer views = open().container("views");
        views.writeBytes("a", "{}".getBytes(UTF_8));
        Path dir = temp.resolve("root/views/views");
        Files.writeString(dir.resolve("README"), "hello");
        Files.writeString(dir.resolve("%61.json"), "{}"); // not the canonical name of key "a"
        Files.writeString(dir.resolve("b%zz.json"), "{}");
        assertThat(keys(views, "")).containsExactly("a");
    }

    @Test
    void leftoverTemporaryFilesAreRemovedWhenAWriterOpens() throws IOException {
        OpenViewStore first = open();
        first.container("views").writeBytes("a", "{}".getBytes(UTF_8));
        first.close();
        Path tmp = temp.resolve("root/views/tmp");
        Files.writeString(tmp.resolve("123-4"), "half a docum");
        open().container("views");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aReaderOfAContainerThatDoesNotExistYetSeesItEmpty() {
        ViewReader reader = open().reader("not-yet");
        assertThat(reader.readBytes("a")).isNull();
        assertThat(keys(reader, "")).isEmpty();
        assertThat(reader.readCheckpoint()).isNull();
        assertThat(temp.resolve("root/not-yet")).doesNotExist();
    }
}
