package io.dataplatform.samples.chat;

import io.dataplatform.client.PlatformClient;
import io.dataplatform.store.AppendResult;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.StoreReader;
import io.dataplatform.views.ViewContainer;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One chat participant: sends lines as events, prints the others' messages as they are
 * committed. A receiving thread reads the store from the last-read position and, caught up,
 * waits for the next commit ({@link StoreReader#awaitCommit}: a long poll on the node, no fixed
 * sleep); after printing a batch it saves the position in its view, so that a restarted client
 * prints what it has not printed yet, and nothing twice (a crash between printing and saving may
 * print that batch again: at least once). Owns its receiving thread; {@link #send} and
 * {@link #close} may be called from any one thread.
 */
public final class ChatClient implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(25);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final PlatformClient client;
    private final ViewContainer views;
    private final String viewKey;
    private final String name;
    private final PrintStream out;
    private final Thread receiving;
    private final Object lock = new Object();
    private ReadPosition state;        // guarded by lock
    private volatile boolean closing;
    private volatile Throwable failure;

    public ChatClient(PlatformClient client, ViewContainer views, String name, PrintStream out) {
        this.client = client;
        this.views = views;
        this.viewKey = "position/" + client.store().value();
        this.name = name;
        this.out = out;
        this.receiving = new Thread(this::receive, "chat-receive");
        this.receiving.setDaemon(true);
    }

    /**
     * Loads the last-read position (a first start begins at the store's head, learning who is
     * present from the messages before it), announces the join and starts receiving.
     */
    public void start() {
        ReadPosition saved = views.read(viewKey, ReadPosition.class);
        if (saved == null) {
            saved = new ReadPosition();
            try (StoreReader reader = client.reader()) {
                long head = reader.commitPointer().position();
                scan(reader, saved, head);
            } catch (StoreNotFoundException e) {
                // an empty chat: the join below creates the store
            }
            views.write(viewKey, saved);
        }
        synchronized (lock) {
            state = saved;
        }
        send(new ChatMessage(ChatMessage.JOIN, name, null));
        receiving.start();
    }

    /** Reads the messages up to {@code head} only to learn who is present. */
    private void scan(StoreReader reader, ReadPosition into, long head) {
        while (into.position < head) {
            EventBatch batch = reader.read(into.position);
            if (batch.isEmpty()) {
                break;
            }
            for (int i = 0; i < batch.size(); i++) {
                ChatMessage message = message(batch, i);
                if (message != null) {
                    presence(into, message);
                }
            }
            into.position = batch.next();
        }
    }

    /** Appends a typed line; returns once it is durable. */
    public AppendResult say(String text) {
        return send(new ChatMessage(ChatMessage.LINE, name, text));
    }

    /** Announces leaving; returns once it is durable. */
    public AppendResult leave() {
        return send(new ChatMessage(ChatMessage.LEAVE, name, null));
    }

    private AppendResult send(ChatMessage message) {
        return client.append(ChatMessage.STREAM, message.toJson());
    }

    /** Who is present, as the messages printed so far say. */
    public String who() {
        synchronized (lock) {
            return state.present.isEmpty() ? "nobody" : String.join(", ", state.present);
        }
    }

    /** Waits until the receiving thread has printed every message before {@code position}; false on timeout. */
    public boolean awaitPrinted(long position, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (state.position < position && failure == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
        return failure == null;
    }

    private void receive() {
        try (StoreReader reader = client.remoteReader()) {
            while (!closing) {
                long from;
                synchronized (lock) {
                    from = state.position;
                }
                EventBatch batch;
                try {
                    batch = reader.read(from);
                } catch (StoreNotFoundException e) {
                    batch = null;
                }
                if (batch == null || batch.isEmpty()) {
                    reader.awaitCommit(from, WAIT);
                    continue;
                }
                ReadPosition next = copy();
                for (int i = 0; i < batch.size(); i++) {
                    ChatMessage message = message(batch, i);
                    if (message != null) {
                        presence(next, message);
                        if (!message.name().equals(name)) {
                            out.println(format(message, batch.timestamp(i)));
                        }
                    }
                }
                out.flush();
                next.position = batch.next();
                views.write(viewKey, next);
                synchronized (lock) {
                    state = next;
                    lock.notifyAll();
                }
            }
        } catch (InterruptedException e) {
            // closing
        } catch (Throwable e) {
            failure = e;
            if (!closing) {
                out.println("* receiving stopped: " + e.getMessage());
            }
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    private ReadPosition copy() {
        synchronized (lock) {
            ReadPosition copy = new ReadPosition();
            copy.position = state.position;
            copy.present.addAll(state.present);
            return copy;
        }
    }

    private static ChatMessage message(EventBatch batch, int index) {
        return batch.streamId(index).equals(ChatMessage.STREAM) ? ChatMessage.fromJson(batch.data(index)) : null;
    }

    private static void presence(ReadPosition state, ChatMessage message) {
        if (message.type().equals(ChatMessage.JOIN)) {
            state.present.add(message.name());
        } else if (message.type().equals(ChatMessage.LEAVE)) {
            state.present.remove(message.name());
        }
    }

    static String format(ChatMessage message, long timestamp) {
        String time = TIME.format(Instant.ofEpochMilli(timestamp));
        return switch (message.type()) {
            case ChatMessage.JOIN -> time + " * " + message.name() + " joined";
            case ChatMessage.LEAVE -> time + " * " + message.name() + " left";
            default -> time + " " + message.name() + ": " + message.text();
        };
    }

    /** Why receiving stopped, or null while it runs. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        closing = true;
        receiving.interrupt();
        try {
            receiving.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
