package io.dataplatform.projections.plugins;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Builds plugin jars for tests: compiles Java sources with javax.tools and packs them with java.util.jar. */
final class FixtureJars {

    private FixtureJars() {
    }

    /**
     * Compiles {@code sources} (class name to source) against the test class path plus {@code classPath},
     * and writes a jar with the classes and the given extra files (path to content).
     */
    static Path jar(Path jar, Map<String, String> sources, List<Path> classPath, Map<String, String> files) throws IOException {
        Path classes = Files.createTempDirectory("fixture-classes");
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        try (StandardJavaFileManager manager = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            List<java.io.File> path = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                path.add(new java.io.File(entry));
            }
            classPath.forEach(p -> path.add(p.toFile()));
            manager.setLocation(StandardLocation.CLASS_PATH, path);
            manager.setLocation(StandardLocation.CLASS_OUTPUT, List.of(classes.toFile()));
            List<JavaFileObject> units = new ArrayList<>();
            sources.forEach((name, code) -> units.add(new SimpleJavaFileObject(
                    URI.create("string:///" + name.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return code;
                }
            }));
            StringWriter errors = new StringWriter();
            if (!compiler.getTask(errors, manager, null, List.of("--release", "17"), null, units).call()) {
                throw new IllegalStateException("fixture sources do not compile: " + errors);
            }
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             Stream<Path> all = Files.walk(classes)) {
            for (Path file : all.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
            for (Map.Entry<String, String> file : files.entrySet()) {
                out.putNextEntry(new JarEntry(file.getKey()));
                write(out, file.getValue());
                out.closeEntry();
            }
        }
        try (Stream<Path> all = Files.walk(classes)) {
            for (Path file : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        return jar;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The library {@code fixture.lib.Greeting} whose {@code version()} answers {@code version}. */
    static Path library(Path jar, String version) throws IOException {
        return jar(jar, Map.of("fixture.lib.Greeting", """
                package fixture.lib;
                public final class Greeting {
                    public static String version() { return "%s"; }
                }
                """.formatted(version)), List.of(), Map.of());
    }

    /**
     * A projection {@code fixture.<pkg>.GreetingProjection} (short name {@code greeting-<pkg>}) that
     * writes view {@code greeting}: the library version it sees, and how many events it applied.
     */
    static Map<String, String> projection(String pkg) {
        return Map.of("fixture." + pkg + ".GreetingProjection", """
                package fixture.%1$s;
                import io.dataplatform.projections.*;
                @ProjectionName("greeting-%1$s")
                public final class GreetingProjection implements Projection {
                    public static final class Seen { public String library; public long events; }
                    @Override public void apply(Batch batch, ViewSession views) {
                        Seen seen = views.edit("greeting", Seen.class, Seen::new);
                        seen.library = fixture.lib.Greeting.version();
                        seen.events += batch.size();
                    }
                }
                """.formatted(pkg));
    }

    static Map<String, String> services(String className) {
        return Map.of("META-INF/services/io.dataplatform.projections.Projection", className + "\n");
    }
}
