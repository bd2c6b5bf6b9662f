package io.dataplatform.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The baseline for the node's append benchmark: a Vert.x POST endpoint that reads the body and
 * answers 201 with a small JSON, doing nothing else. Same event-loop count, router and body
 * handler as the node. Usage: {@code NoopServer <port>}.
 */
public final class NoopServer extends VerticleBase {
    private final int port;

    private NoopServer(int port) {
        this.port = port;
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args.length > 0 ? args[0] : "8090");
        int loops = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        vertx.deployVerticle(() -> new NoopServer(port), new DeploymentOptions().setInstances(loops)).await();
        System.out.println("no-op endpoint on http://127.0.0.1:" + port + " (" + loops + " event loops)");
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.post("/stores/:store/streams/:stream")
                .handler(BodyHandler.create(false).setBodyLimit(2 * 1024 * 1024))
                .handler(ctx -> ctx.response().setStatusCode(201).putHeader("content-type", "application/json")
                        .end("{\"position\":0,\"next\":126,\"version\":1,\"durable\":true}"));
        return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
                .requestHandler(router).listen();
    }
}
