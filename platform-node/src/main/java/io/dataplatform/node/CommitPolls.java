package io.dataplatform.node;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreNotFoundException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * Long polls of a store's commit pointer, on the event bus where the node publishes every commit
 * ({@link NodeServices#commitAddress}). Serves {@code GET /stores/{store}/commit?after=&waitMs=}
 * (the pointer only: what a remote reader's {@code commitAfter} asks) and the waits of
 * {@code GET /stores/{store}/events?wait=}. A wait is two local event-bus consumers and a timer
 * on the request's event loop: no thread, no worker. It ends when a commit lands past its
 * position, the timeout passes, the node stops or the client leaves, and then releases all three.
 */
final class CommitPolls {
    static final long MAX_WAIT_MILLIS = EventReads.MAX_WAIT_SECONDS * 1000L;

    private final NodeServices services;
    private final long longPollLimitMillis;

    CommitPolls(NodeServices services) {
        this.services = services;
        this.longPollLimitMillis = EventReads.longPollLimitMillis(services.config().idleTimeout());
    }

    /** GET /stores/{store}/commit?after=&waitMs=: the pointer once it is past {@code after}, or when the wait ends. */
    void poll(Call call, StoreId store) {
        MultiMap params = call.request().params();
        long after = EventReads.number(params, "after", -1, -1, Long.MAX_VALUE);
        long waitMillis = Math.min(EventReads.number(params, "waitMs", 0, 0, MAX_WAIT_MILLIS), longPollLimitMillis);
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        // the first look at a store may open and recover it: not on the event loop
        Future<CommitPointer> current = services.blocking().executeBlocking(() -> pointer(store));
        ErrorResponses.onEventLoop(call, current, pointer -> {
            if (pointer.position() > after || waitMillis == 0) {
                answer(call, store, pointer);
                return;
            }
            waitForCommit(call, store, after, deadline).onComplete(woken -> {
                if (call.response().closed()) {
                    return;
                }
                if (woken.result() != null) {
                    answer(call, store, woken.result());
                } else {
                    ErrorResponses.onEventLoop(call, services.blocking().executeBlocking(() -> pointer(store)),
                            now -> answer(call, store, now));
                }
            });
        });
    }

    private CommitPointer pointer(StoreId store) {
        return services.engine().commitPointer(store).orElseThrow(() -> new StoreNotFoundException(store.value()));
    }

    private static void answer(Call call, StoreId store, CommitPointer pointer) {
        call.response().setStatusCode(200)
                .putHeader("DP-Commit-Position", Long.toString(pointer.position()))
                .putHeader("DP-Commit-Version", Long.toString(pointer.version()));
        StoreRoutes.json(call, 200, new JsonObject().put("store", store.value()).put("commit",
                new JsonObject().put("position", pointer.position()).put("version", pointer.version())));
    }

    /**
     * Completes with the pointer of the first commit past {@code after}, or with null when the
     * node stops, the client leaves, or {@code deadline} (nanoTime) passes. Runs on the call's
     * event loop.
     */
    Future<CommitPointer> waitForCommit(Call call, StoreId store, long after, long deadline) {
        Vertx vertx = call.vertx();
        Promise<CommitPointer> woken = Promise.promise();
        // a client that leaves releases its wait at once, not when the timeout runs out
        call.response().closeHandler(v -> woken.tryComplete());
        services.metrics().longPollWaiting(1);
        MessageConsumer<JsonObject> commits = vertx.eventBus().localConsumer(NodeServices.commitAddress(store.value()));
        MessageConsumer<Object> stopping = vertx.eventBus().localConsumer(NodeServices.STOPPING_ADDRESS);
        long timer = vertx.setTimer(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), id -> woken.tryComplete());
        commits.handler(message -> {
            CommitPointer pointer = new CommitPointer(message.body().getLong("position"), message.body().getLong("version"));
            if (pointer.position() > after) {
                woken.tryComplete(pointer);
            }
        });
        stopping.handler(message -> woken.tryComplete());
        // A commit may have landed between reading the pointer and registering: look again.
        commits.completion().onComplete(ar -> {
            // the store was opened before the wait began, so this is an in-memory read; should it
            // fail anyway (the store deleted or reopened meanwhile), the read that follows reports it
            try {
                if (services.stopping().get()) {
                    woken.tryComplete();
                    return;
                }
                services.engine().commitPointer(store).ifPresentOrElse(now -> {
                    if (now.position() > after) {
                        woken.tryComplete(now);
                    }
                }, woken::tryComplete);
            } catch (RuntimeException e) {
                woken.tryComplete();
            }
        });
        return woken.future().onComplete(ar -> {
            services.metrics().longPollWaiting(-1);
            vertx.cancelTimer(timer);
            commits.unregister();
            stopping.unregister();
        });
    }
}
