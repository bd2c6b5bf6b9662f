package io.dataplatform.views.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bulk sync of many files syncs their file system once; of few files, forces each file and directory. */
class FileSyncTest {

    @TempDir
    Path temp;

    private final List<Path> forced = new CopyOnWriteArrayList<>();
    private final List<Path> fileSystems = new CopyOnWriteArrayList<>();
    private final FileSync.Forced recorder = new FileSync.Forced() {
        @Override
        public void forced(Path path) {
            forced.add(path);
        }

        @Override
        public void fileSystemSynced(Path dir) {
            fileSystems.add(dir);
        }
    };

    private List<Path> write(Path dir, int count) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            files.add(Files.write(dir.resolve(i + ".json"), new byte[] {'{', '}'}));
        }
        return files;
    }

    @Test
    void manyFilesAreMadeDurableByOneFileSystemSync() throws IOException {
        Assumptions.assumeTrue(FileSync.fileSystemSyncAvailable(), "this machine cannot sync a file system (syncfs)");
        List<Path> files = write(temp.resolve("views"), 20);
        try (FileSync sync = new FileSync(recorder, 10)) {
            sync.forceWritten(temp, files, List.of(temp.resolve("views"), temp));
        }
        assertThat(fileSystems).containsExactly(temp);
        assertThat(forced).as("no file forced one by one").isEmpty();
    }

    @Test
    void fewFilesAreForcedOneByOneWithTheirDirectories() throws IOException {
        List<Path> files = write(temp.resolve("views"), 5);
        try (FileSync sync = new FileSync(recorder, 10)) {
            sync.forceWritten(temp, files, List.of(temp.resolve("views"), temp));
        }
        assertThat(fileSystems).isEmpty();
        List<Path> expected = new ArrayList<>(files);
        expected.add(temp.resolve("views"));
        expected.add(temp);
        assertThat(forced).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void directoriesOnAnotherDeviceAreNotCoveredByTheContainersFileSystem() throws IOException {
        assertThat(FileSystemSync.covers(temp, List.of(temp, temp.resolve("missing")))).isTrue();
        Path procDir = Path.of("/proc/self");
        Assumptions.assumeTrue(Files.isDirectory(procDir), "no /proc here");
        assertThat(FileSystemSync.covers(temp, List.of(procDir))).isFalse();
    }

    @Test
    void syncfsIsTrustedFromLinux58On() {
        assertThat(FileSystemSync.kernelAtLeast("6.1.0-13-amd64", 5, 8)).isTrue();
        assertThat(FileSystemSync.kernelAtLeast("5.8.0", 5, 8)).isTrue();
        assertThat(FileSystemSync.kernelAtLeast("5.4.0-150-generic", 5, 8)).isFalse();
        assertThat(FileSystemSync.kernelAtLeast("4.19.0", 5, 8)).isFalse();
        assertThat(FileSystemSync.kernelAtLeast("unknown", 5, 8)).isFalse();
    }
}
