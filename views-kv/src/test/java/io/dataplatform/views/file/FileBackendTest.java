package io.dataplatform.views.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

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
}
