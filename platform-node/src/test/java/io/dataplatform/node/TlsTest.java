package io.dataplatform.node;

import io.dataplatform.client.NodeCredentials;
import io.dataplatform.client.PlatformClient;
import io.dataplatform.store.StoreId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTPS from PEM files: a self-signed certificate made at test time with the JDK's keytool. */
class TlsTest {

    @TempDir
    Path dir;

    /**
     * A self-signed certificate for 127.0.0.1 and localhost and its key, as PEM files: keytool (part
     * of every JDK) makes a PKCS#12 key store, from which both are written out.
     */
    private Path[] selfSigned() throws Exception {
        Path store = dir.resolve("node.p12");
        char[] password = "test-only".toCharArray();
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "node", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1", "-ext", "SAN=IP:127.0.0.1,DNS:localhost",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(password))
                .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(dir.resolve("keytool.log"))).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            keys.load(in, password);
        }
        Path cert = dir.resolve("node.crt");
        Path key = dir.resolve("node.key");
        Files.writeString(cert, pem("CERTIFICATE", keys.getCertificate("node").getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", keys.getKey("node", password).getEncoded()));
        return new Path[] {cert, key};
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
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
                // an answer large enough to be sent from the chunk file: through TLS it is encrypted on the way
                java.util.List<io.dataplatform.store.NewEvent> large = new java.util.ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    byte[] data = new byte[1000];
                    java.util.Arrays.fill(data, (byte) i);
                    large.add(new io.dataplatform.store.NewEvent("s", data));
                }
                long from = client.append(large).position();
                io.dataplatform.store.EventBatch batch = client.remoteReader().read(from, 1000, 1 << 20);
                assertThat(batch.size()).isEqualTo(100);
                for (int i = 0; i < 100; i++) {
                    assertThat(batch.data(i)).as("event %d", i).containsOnly((byte) i);
                }
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
