package io.dataplatform.views;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A class loader standing for a plugin's own: it lists {@code implementation} as a service of
 * {@code service} in a {@code META-INF/services} file that only this loader sees (the class itself
 * comes from the test class path, its parent).
 */
final class PluginLoader {

    private PluginLoader() {
    }

    static URLClassLoader listing(Path directory, Class<?> service, Class<?> implementation) {
        try {
            Path services = directory.resolve("META-INF/services");
            Files.createDirectories(services);
            Files.writeString(services.resolve(service.getName()), implementation.getName() + "\n");
            return new URLClassLoader(new URL[] {directory.toUri().toURL()}, PluginLoader.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
