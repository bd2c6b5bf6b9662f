package io.dataplatform.cli.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a command's loops on threads of its own and waits for all of them. The first failure trips
 * the stop switch (so that the other loops end too) and is kept for the result.
 */
final class Workers {

    /** One loop; {@code index} tells the threads apart. */
    interface Loop {
        void run(int index) throws Exception;
    }

    private final StopSwitch stop;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    Workers(StopSwitch stop) {
        this.stop = stop;
    }

    Workers start(String name, int count, Loop loop) {
        for (int i = 0; i < count; i++) {
            int index = i;
            Thread thread = new Thread(() -> {
                try {
                    loop.run(index);
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                    stop.trip();
                }
            }, name + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        return this;
    }

    /** Waits for every loop started so far. */
    void join() throws InterruptedException {
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /** The first failure of any loop, or null. */
    Exception failure() {
        return failure.get();
    }

    /** A failure's message for a result line. */
    static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
