package io.dataplatform.node;

import io.dataplatform.client.NodeCredentials;
import io.dataplatform.client.PlatformClient;
import io.dataplatform.store.StoreId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** HTTPS from PEM files: a self-signed certificate made at test time with openssl. */
class TlsTest {

    @TempDir
    Path dir;

    /** A self-signed certificate for 127.0.0.1 and localhost, and its key; skips the test without openssl. */
    private Path[] selfSigned() throws IOException, InterruptedException {
        Path cert = dir.resolve("node.crt");
        Path key = dir.resolve("node.key");
        Process openssl;
        try {
            openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", key.toString(), "-out", cert.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        } catch (IOException e) {
            assumeTrue(false, "openssl is not installed");
            throw e;
        }
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(Files.readString(dir.resolve("openssl.log"))).isZero();
        return new Path[] {cert, key};
    }

    @Test
    void nodeServesHttpsWithPemFilesAndClientsTrustingTheCertificateConnect() throws Exception {
        Path[] pem = selfSigned();
        String token = "tls-writer-token-0123456789";
        NodeConfig config = NodeFixture.config(dir.resolve("data")).withTls(pem[0], pem[1])
                .withTokens(Tokens.fromEnvironment(token + " write:secure,read:secure"));
        try (Node node = Node.start(config)) {
            assertThat(node.endpoint().getScheme()).isEqualTo("https");
            NodeCredentials credentials = NodeCredentials.token(token).trusting(pem[0]);
            try (PlatformClient client = PlatformClient.remote(node.endpoint(), StoreId.of("secure"), credentials)) {
                assertThat(client.append("s", "over tls".getBytes(StandardCharsets.UTF_8)).version()).isEqualTo(1);
                assertThat(new String(client.remoteReader().read(0, 10, 65536).data(0), StandardCharsets.UTF_8)).isEqualTo("over tls");
            }
            // the JVM's default trust store does not know a self-signed certificate
            java.net.http.HttpClient untrusting = java.net.http.HttpClient.newHttpClient();
            assertThatThrownBy(() -> untrusting.send(java.net.http.HttpRequest.newBuilder(node.endpoint().resolve("/health")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding())).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
    }

    @Test
    void tlsNeedsBothFiles() {
        assertThatThrownBy(() -> NodeConfig.defaults().withTlsCert(dir.resolve("only.crt")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--tls-key");
    }
}
