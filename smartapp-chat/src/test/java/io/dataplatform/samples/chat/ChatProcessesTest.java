package io.dataplatform.samples.chat;

import io.dataplatform.client.PlatformClient;
import io.dataplatform.node.Node;
import io.dataplatform.node.NodeConfig;
import io.dataplatform.store.Event;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chat clients as separate processes against a real node, with piped input and output. A failing
 * test reports every client's output (the temporary directory holding it is deleted afterwards).
 */
class ChatProcessesTest {
    @TempDir
    Path dir;

    private Node node;
    private final List<Process> processes = new ArrayList<>();

    @RegisterExtension
    final TestExecutionExceptionHandler outputsOnFailure = (context, thrown) -> {
        throw new AssertionError(thrown.getMessage() + outputs(), thrown);
    };

    @AfterEach
    void stopClients() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly();
        }
        for (Process process : processes) {
            process.waitFor(1, TimeUnit.MINUTES);
        }
    }

    /** The output of every client so far, each file under its name. */
    private String outputs() {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".out")).sorted().toList()) {
                text.append("\n--- ").append(file.getFileName()).append(" ---\n")
                        .append(Files.readString(file, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            text.append("\n(the clients' output cannot be read: ").append(e).append(')');
        }
        return text.toString();
    }

    @Test
    void twoClientsExchangeLinesAndARestartedClientPrintsNothingTwiceAndMissesNothing() throws Exception {
        try (Node started = Node.start(NodeConfig.defaults().withStoreLocation(dir.resolve("data").toString())
                .withPort(0).withEventLoops(2))) {
            node = started;
            Process alice = client("alice", dir.resolve("alice.out"));
            await("alice has joined", () -> joined("alice"));

            Process bob = client("bob", dir.resolve("bob1.out"));
            send(bob, "hello from bob\nhow are you?\n");
            bob.getOutputStream().close();
            assertThat(bob.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(bob.exitValue()).isZero();
            assertThat(lines(dir.resolve("bob1.out"))).as("nothing happened since bob joined").isEmpty();

            await("alice has printed bob's lines", () -> count(dir.resolve("alice.out"), "* bob left") == 1);
            send(alice, "hi bob\nsecond from alice\n");
            alice.getOutputStream().close();
            assertThat(alice.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(alice.exitValue()).isZero();
            Path aliceOut = dir.resolve("alice.out");
            assertThat(count(aliceOut, "* bob joined")).isEqualTo(1);
            assertThat(count(aliceOut, " bob: hello from bob")).isEqualTo(1);
            assertThat(count(aliceOut, " bob: how are you?")).isEqualTo(1);
            assertThat(count(aliceOut, "alice:")).as("one's own lines are not echoed").isZero();

            Process bobAgain = client("bob", dir.resolve("bob2.out"));
            bobAgain.getOutputStream().close();
            assertThat(bobAgain.waitFor(2, TimeUnit.MINUTES)).isTrue();
            List<String> missed = lines(dir.resolve("bob2.out"));
            assertThat(missed).as("what bob missed, once each, in order").hasSize(3);
            assertThat(missed.get(0)).endsWith(" alice: hi bob");
            assertThat(missed.get(1)).endsWith(" alice: second from alice");
            assertThat(missed.get(2)).endsWith(" * alice left");

            Process bobThird = client("bob", dir.resolve("bob3.out"));
            bobThird.getOutputStream().close();
            assertThat(bobThird.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(lines(dir.resolve("bob3.out"))).as("nothing printed twice").isEmpty();
        }
    }

    @Test
    void aClientKilledWithKillNineDropsOutOfWhoOnceItsWindowPassesAndAQuitLeavesAtOnce() throws Exception {
        try (Node started = Node.start(NodeConfig.defaults().withStoreLocation(dir.resolve("data").toString())
                .withPort(0).withEventLoops(2))) {
            node = started;
            // alice forgets the silent after 1 s; dave only after an hour: what he sees drop out has left
            Process alice = client("alice", dir.resolve("alice.out"), "--heartbeat-ms", "100", "--presence-ms", "1000");
            Process dave = client("dave", dir.resolve("dave.out"), "--heartbeat-ms", "100", "--presence-ms", "3600000");
            Process bob = client("bob", dir.resolve("bob.out"), "--heartbeat-ms", "100", "--presence-ms", "1000");
            Process carol = client("carol", dir.resolve("carol.out"), "--heartbeat-ms", "100", "--presence-ms", "1000");
            await("alice sees all four", () -> who(alice, dir.resolve("alice.out")).equals("alice, bob, carol, dave"));
            await("dave sees all four", () -> who(dave, dir.resolve("dave.out")).equals("alice, bob, carol, dave"));

            send(carol, "/quit\n");
            assertThat(carol.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(carol.exitValue()).as("carol's exit status after /quit").isZero();
            Process kill = new ProcessBuilder("kill", "-9", Long.toString(bob.pid())).start();
            assertThat(kill.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(bob.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(bob.exitValue()).as("killed by SIGKILL").isEqualTo(137);

            await("bob, killed, drops out of alice's /who and carol has left",
                    () -> who(alice, dir.resolve("alice.out")).equals("alice, dave"));
            await("dave has printed carol's leaving", () -> count(dir.resolve("dave.out"), "* carol left") == 1);
            assertThat(who(dave, dir.resolve("dave.out")))
                    .as("carol left at once; bob, silent for less than dave's hour, still counts").isEqualTo("alice, bob, dave");
            assertThat(count(dir.resolve("alice.out"), "here")).as("heartbeats are not printed").isZero();

            alice.getOutputStream().close();
            dave.getOutputStream().close();
            assertThat(alice.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(dave.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(alice.exitValue()).as("alice's exit status at the end of her input").isZero();
            assertThat(dave.exitValue()).as("dave's exit status at the end of his input").isZero();
        }
    }

    /** Asks a client {@code /who} and returns its answer (the names after "* present: "). */
    private static String who(Process process, Path out) {
        try {
            long before = count(out, "* present: ");
            send(process, "/who\n");
            await("an answer to /who", () -> count(out, "* present: ") > before);
            List<String> answers = lines(out).stream().filter(l -> l.startsWith("* present: ")).toList();
            return answers.get(answers.size() - 1).substring("* present: ".length());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Process client(String name, Path out, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), ChatMain.class.getName(),
                "--name", name, "--node", node.endpoint().toString(), "--views", dir.resolve("views-" + name).toString()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        processes.add(process);
        return process;
    }

    private static void send(Process process, String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private boolean joined(String name) {
        try (PlatformClient client = PlatformClient.remote(node.endpoint(), StoreId.of("chat"))) {
            for (Event event : client.events(0)) {
                ChatMessage message = ChatMessage.fromJson(event.data());
                if (message != null && message.type().equals(ChatMessage.JOIN) && message.name().equals(name)) {
                    return true;
                }
            }
            return false;
        } catch (StoreNotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
    }

    private static long count(Path file, String text) {
        try {
            return lines(file).stream().filter(l -> l.contains(text)).count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
