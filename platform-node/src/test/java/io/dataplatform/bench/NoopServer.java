package io.dataplatform.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;

/**
 * The baseline for the node's append benchmark: a Vert.x POST endpoint that reads the body and
 * answers 201 with a small JSON, doing nothing else: no routing, no validation, no storage. Same
 * event-loop count and server options as the node. Usage: {@code NoopServer <port> [native|nio]}
 * (the transport: the node's native epoll by default; which of the two answers do-nothing
 * requests faster varies from run to run here, so the benchmark measures both).
 */
public final class NoopServer extends VerticleBase {
    private final int port;

    private NoopServer(int port) {
        this.port = port;
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args.length > 0 ? args[0] : "8090");
        boolean nativeTransport = args.length < 2 || !args[1].equals("nio");
        int loops = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(nativeTransport));
        vertx.deployVerticle(() -> new NoopServer(port), new DeploymentOptions().setInstances(loops)).await();
        System.out.println("no-op endpoint on http://127.0.0.1:" + port + " (" + loops + " event loops, "
                + (vertx.isNativeTransportEnabled() ? "native" : "NIO") + " transport)");
    }

    @Override
    public Future<?> start() {
        return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true)
                        .setCompressionSupported(false).setDecompressionSupported(false).setHttp2ClearTextEnabled(false))
                .requestHandler(request -> request.body().onSuccess(body -> request.response().setStatusCode(201)
                        .putHeader("content-type", "application/json")
                        .end("{\"position\":0,\"next\":126,\"version\":1,\"durable\":true}")))
                .listen();
    }
}
