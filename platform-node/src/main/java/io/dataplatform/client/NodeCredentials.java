package io.dataplatform.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How a client proves itself to a node and which node certificates it trusts: a bearer token
 * (sent as {@code Authorization: Bearer}), and for HTTPS either the JVM's default trust store or
 * the certificates of a PEM file (a self-signed node certificate, a private CA). Immutable;
 * {@link #toString()} never shows the token.
 */
public final class NodeCredentials {

    /** No token, default trust. */
    public static final NodeCredentials NONE = new NodeCredentials(null, null);

    private final String token;
    private final SSLContext ssl;

    private NodeCredentials(String token, SSLContext ssl) {
        this.token = token;
        this.ssl = ssl;
    }

    /** Sends {@code token} with every request. */
    public static NodeCredentials token(String token) {
        return NONE.withToken(token);
    }

    public NodeCredentials withToken(String value) {
        return new NodeCredentials(Objects.requireNonNull(value, "token"), ssl);
    }

    /** Trusts the certificates in a PEM file (and only those) for HTTPS. */
    public NodeCredentials trusting(Path pemCertificates) {
        try (InputStream in = Files.newInputStream(pemCertificates)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("node-" + i++, certificate);
            }
            if (i == 0) {
                throw new IllegalArgumentException("no certificate in " + pemCertificates);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return new NodeCredentials(token, context);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read certificates from " + pemCertificates, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot trust the certificates in " + pemCertificates + ": " + e.getMessage(), e);
        }
    }

    /** The token, or null. */
    String bearerToken() {
        return token;
    }

    /** The TLS context to use, or null for the JVM's default. */
    SSLContext sslContext() {
        return ssl;
    }

    @Override
    public String toString() {
        return "NodeCredentials[token " + (token == null ? "none" : "set") + ", trust " + (ssl == null ? "default" : "PEM") + "]";
    }
}
