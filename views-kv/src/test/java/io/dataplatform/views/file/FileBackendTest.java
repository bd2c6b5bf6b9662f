package io.dataplatform.views.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import io.dataplatform.views.spi.BackendContainer;
import io.dataplatform.views.spi.DocumentVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBackendTest {

    private final FileBackend backend = new FileBackend(Path.of("unused"));

    @Test
    void busyAndRacingFailuresAreTransient() {
        assertThat(backend.isTransient(new AccessDeniedException("a", "b", "rename raced a reader"))).isTrue();
        assertThat(backend.isTransient(new FileSystemException("a", null, "Device or resource busy"))).isTrue();
        assertThat(backend.isTransient(new FileSystemException("a", null, "Resource temporarily unavailable"))).isTrue();
        assertThat(backend.isTransient(new FileSystemException("a", null,
                "The process cannot access the file because it is being used by another process"))).isTrue();
    }

    @Test
    void missingFilesFullDisksAndTheRestAreNot() {
        assertThat(backend.isTransient(new NoSuchFileException("a"))).isFalse();
        assertThat(backend.isTransient(new FileSystemException("a", null, "No space left on device"))).isFalse();
        assertThat(backend.isTransient(new FileSystemException("a", null, "Read-only file system"))).isFalse();
        assertThat(backend.isTransient(new IOException("Input/output error"))).isFalse();
    }

    @Test
    void theGenerationChangesWhenWrittenViewsArePublishedAndOnlyThen(@TempDir Path temp) throws IOException {
        try (FileBackend files = new FileBackend(temp);
                BackendContainer reader = files.openContainer("views", false)) {
            DocumentVersion none = reader.generation();
            DocumentVersion opened;
            try (BackendContainer writer = files.openContainer("views", true)) {
                writer.publishGeneration();
                opened = reader.generation();
                assertThat(opened).as("a writer publishes when it opens").isNotEqualTo(none);
                writer.put("a", new byte[] {'1'});
                assertThat(reader.generation()).as("not before it is published").isEqualTo(opened);
                writer.publishGeneration();
                DocumentVersion afterPut = reader.generation();
                assertThat(afterPut).isNotEqualTo(opened);
                writer.publishGeneration();
                assertThat(reader.generation()).as("nothing written since").isEqualTo(afterPut);
                writer.delete("a");
                writer.publishGeneration();
                assertThat(reader.generation()).isNotEqualTo(afterPut);
            }
            try (BackendContainer next = files.openContainer("views", true)) {
                next.publishGeneration();
                assertThat(reader.generation()).as("another writer never repeats a generation").isNotEqualTo(opened);
            }
        }
    }
}
