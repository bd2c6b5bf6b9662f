package io.dataplatform.samples.webui;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The page's files (classpath {@code webui/}), read once at start and served from memory: no file
 * system on the event loop, nothing from the network. Each answer carries an ETag (the build's
 * content hash) so a browser revalidates cheaply. Immutable; thread-safe.
 */
final class Assets {
    private record Asset(Buffer body, String type, String etag) {
    }

    private static final Map<String, String> FILES = Map.of(
            "/", "index.html", "/index.html", "index.html", "/app.css", "app.css", "/app.js", "app.js",
            "/favicon.svg", "favicon.svg");

    private final Map<String, Asset> byPath;

    private Assets(Map<String, Asset> byPath) {
        this.byPath = byPath;
    }

    static Assets load() {
        java.util.HashMap<String, Asset> byPath = new java.util.HashMap<>();
        for (Map.Entry<String, String> file : FILES.entrySet()) {
            byte[] bytes = read(file.getValue());
            byPath.put(file.getKey(), new Asset(Buffer.buffer(bytes), type(file.getValue()),
                    '"' + Integer.toHexString(java.util.Arrays.hashCode(bytes)) + '"'));
        }
        return new Assets(Map.copyOf(byPath));
    }

    void serve(RoutingContext ctx) {
        Asset asset = byPath.get(ctx.request().path());
        if (asset == null) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("ETag", asset.etag()).putHeader("Cache-Control", "no-cache");
        if (asset.etag().equals(ctx.request().getHeader("If-None-Match"))) {
            ctx.response().setStatusCode(304).end();
            return;
        }
        ctx.response().putHeader("Content-Type", asset.type()).end(asset.body());
    }

    private static String type(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        } else if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        } else if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        return "image/svg+xml";
    }

    private static byte[] read(String name) {
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream("webui/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the web UI's file webui/" + name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web UI's file webui/" + name, e);
        }
    }
}
