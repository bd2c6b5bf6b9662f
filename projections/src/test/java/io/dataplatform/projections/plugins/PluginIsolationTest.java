package io.dataplatform.projections.plugins;

import io.dataplatform.projections.Await;
import io.dataplatform.projections.ProjectionConfig;
import io.dataplatform.projections.ProjectionRunner;
import io.dataplatform.projections.ProjectionState;
import io.dataplatform.projections.RunnerSettings;
import io.dataplatform.projections.StoreFixture;
import io.dataplatform.projections.StoreReaders;
import io.dataplatform.projections.builtin.StreamCounts;
import io.dataplatform.store.StoreId;
import io.dataplatform.views.ViewStore;
import io.dataplatform.views.ViewStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PluginIsolationTest {

    @TempDir
    Path dir;

    /**
     * Plugin directory: {@code a/} (the plugin's jar beside its library, version 1), {@code b.jar} (the
     * plugin with version 2 of the same library bundled in), {@code broken.jar} (lists a class it
     * lacks), {@code notes.txt}. The worker's own class path has version 0 of the library.
     */
    private Path pluginDirectory() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Path lib1 = FixtureJars.library(work.resolve("lib-1.jar"), "1");
        Path lib2 = FixtureJars.library(work.resolve("lib-2.jar"), "2");
        Path a = Files.createDirectories(plugins.resolve("a"));
        FixtureJars.jar(a.resolve("greeting-a.jar"), FixtureJars.projection("a"), List.of(lib1),
                FixtureJars.services("fixture.a.GreetingProjection"));
        Files.copy(lib1, a.resolve("lib-1.jar"));
        Map<String, String> bSources = new HashMap<>(FixtureJars.projection("b"));
        bSources.put("fixture.lib.Greeting", "package fixture.lib; public final class Greeting {"
                + " public static String version() { return \"2\"; } }");
        FixtureJars.jar(plugins.resolve("b.jar"), bSources, List.of(), FixtureJars.services("fixture.b.GreetingProjection"));
        FixtureJars.jar(plugins.resolve("broken.jar"), Map.of("fixture.c.Helper", "package fixture.c; public class Helper {}"),
                List.of(lib2), FixtureJars.services("fixture.c.MissingProjection"));
        Files.writeString(plugins.resolve("notes.txt"), "not a plugin");
        return plugins;
    }

    @Test
    void pluginsBundlingConflictingVersionsOfALibraryBothLoadAndRun() throws Exception {
        Path plugins = pluginDirectory();
        Path lib0 = FixtureJars.library(dir.resolve("work").resolve("lib-0.jar"), "0");
        try (URLClassLoader worker = new URLClassLoader(new URL[] {lib0.toUri().toURL()}, getClass().getClassLoader())) {
            ProjectionPlugins found = ProjectionPlugins.scan(worker, plugins);
            assertThat(found.plugins()).extracting(ProjectionPlugins.Plugin::shortName)
                    .contains("greeting-a", "greeting-b", StreamCounts.NAME);
            assertThat(found.find("greeting-a").location()).isEqualTo(plugins.resolve("a").toString());
            assertThat(found.find("fixture.b.GreetingProjection").location()).isEqualTo(plugins.resolve("b.jar").toString());
            assertThat(found.find(StreamCounts.NAME).location()).isEqualTo(ProjectionPlugins.CLASSPATH);
            assertThat(found.failures()).singleElement().satisfies(failure -> {
                assertThat(failure.location()).isEqualTo(plugins.resolve("broken.jar").toString());
                assertThat(failure.error()).contains("fixture.c.MissingProjection");
            });
            // the framework's API is shared: a plugin's Projection is the worker's
            assertThat(found.find("greeting-a").type().getInterfaces()[0]).isSameAs(io.dataplatform.projections.Projection.class);

            try (StoreFixture stores = StoreFixture.open(dir.resolve("data"));
                 ViewStore views = ViewStores.open(dir.resolve("views").toString())) {
                stores.fill("greetings", 250, 2, 5);
                List<ProjectionRunner> runners = new ArrayList<>();
                for (String name : List.of("greeting-a", "greeting-b")) {
                    ProjectionPlugins.Plugin plugin = found.find(name);
                    runners.add(new ProjectionRunner(name, plugin.newInstance(), ProjectionConfig.of(name, Map.of()),
                            RunnerSettings.defaults().withBatch(100, 1 << 20), StoreId.of("greetings"),
                            StoreReaders.direct(stores.location(), StoreId.of("greetings")), views, name,
                            plugin.loader(), null).start(false));
                }
                long head = stores.head("greetings");
                for (ProjectionRunner runner : runners) {
                    Await.until(Duration.ofSeconds(60), () -> runner.status().checkpoint() == head
                            || runner.status().state() == ProjectionState.FAILED, () -> runner.status().toString());
                    assertThat(runner.status().state()).as(runner.status().toString()).isEqualTo(ProjectionState.RUNNING);
                    runner.close();
                }
                assertThat(new String(views.reader("greeting-a").readBytes("greeting")))
                        .isEqualTo("{\"library\":\"1\",\"events\":250}");
                assertThat(new String(views.reader("greeting-b").readBytes("greeting")))
                        .isEqualTo("{\"library\":\"2\",\"events\":250}");
            } finally {
                found.close();
            }
        }
    }

    @Test
    void aMissingPluginDirectoryIsReportedAndTheClassPathPluginsStillLoad() {
        ProjectionPlugins found = ProjectionPlugins.scan(getClass().getClassLoader(), dir.resolve("absent"));
        assertThat(found.plugins()).extracting(ProjectionPlugins.Plugin::shortName).contains(StreamCounts.NAME);
        assertThat(found.failures()).singleElement().satisfies(f -> assertThat(f.error()).contains("cannot list"));
    }

    @Test
    void aPluginInAPackageOfItsOwnUnderTheFrameworksNamespaceLoadsFromItsJar() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("own-namespace"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Path lib = FixtureJars.library(work.resolve("lib-1.jar"), "1");
        Map<String, String> sources = Map.of("io.dataplatform.example.ExampleProjection", """
                package io.dataplatform.example;
                import io.dataplatform.projections.*;
                @ProjectionName("example")
                public final class ExampleProjection implements Projection {
                    @Override public void apply(Batch batch, ViewSession views) { }
                }
                """);
        FixtureJars.jar(plugins.resolve("example.jar"), sources, List.of(lib),
                FixtureJars.services("io.dataplatform.example.ExampleProjection"));
        ProjectionPlugins found = ProjectionPlugins.scan(getClass().getClassLoader(), plugins);
        try {
            assertThat(found.failures()).isEmpty();
            ProjectionPlugins.Plugin example = found.find("example");
            assertThat(example.location()).isEqualTo(plugins.resolve("example.jar").toString());
            assertThat(example.type().getClassLoader()).isInstanceOf(PluginClassLoader.class);
            assertThat(example.type().getInterfaces()[0]).isSameAs(io.dataplatform.projections.Projection.class);
        } finally {
            found.close();
        }
    }
}
