package io.dataplatform.node;

import io.dataplatform.store.StoreEngine;
import io.vertx.core.WorkerExecutor;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every {@link NodeVerticle} instance shares: the one engine, the configuration, metrics,
 * the byte budgets of request bodies ({@code inFlight}) and of read answers not yet taken by their
 * clients ({@code answers}), the bounded worker pool for blocking reads, the node's stop switch, and
 * the answers of batch appends remembered by idempotency key.
 */
record NodeServices(StoreEngine engine, NodeConfig config, NodeMetrics metrics, InFlightBytes inFlight,
                    InFlightBytes answers, WorkerExecutor blocking, AtomicBoolean stopping, Runnable requestStop,
                    IdempotentAppends idempotent) {

    /** Event bus address where each commit of {@code store} is published as {"position","version"}. */
    static String commitAddress(String store) {
        return "dp.commits." + store;
    }

    /** Event bus address told once when the node starts stopping (long-polls answer at once). */
    static final String STOPPING_ADDRESS = "dp.node.stopping";
}
