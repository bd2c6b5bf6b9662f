package io.dataplatform.samples.chat;

import io.dataplatform.client.PlatformClient;
import io.dataplatform.store.AppendResult;
import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.EventBatch;
import io.dataplatform.store.StoreNotFoundException;
import io.dataplatform.store.StoreReader;
import io.dataplatform.views.ViewContainer;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One chat participant: sends lines as events, prints the others' messages as they are
 * committed. A receiving thread reads the store from the last-read position and, caught up,
 * waits for the next commit ({@link StoreReader#commitAfter}: a long poll on the node, no fixed
 * sleep); after printing a batch it saves the position in its view, so that a restarted client
 * prints what it has not printed yet, and nothing twice (a crash between printing and saving may
 * print that batch again: at least once).
 *
 * <p>Presence: a client that has sent nothing for {@code heartbeat} appends a {@code here}
 * message, and {@link #who} lists those who joined, have not left, and were seen (joined, wrote a
 * line or a heartbeat) within {@code window} of the newest message read, in the node's clock (the
 * commit times): a client killed without leaving drops out once {@code window} has passed. A
 * {@code /quit} leaves at once. What a batch says about presence counts before its lines are
 * printed: once "bob left" is printed, {@link #who} no longer lists bob. Owns its receiving and
 * heartbeat threads; {@link #say}, {@link #leave} and {@link #close} may be called from any one
 * thread.
 *
 * <p>Stopping: {@link #close} never interrupts its threads. The receiving thread writes its
 * position to the view container, whose journal is a file channel, and an interrupt during that
 * write closes the channel: the container would then fail on closing. Instead, {@link #close}
 * cancels the commit wait in flight and wakes the heartbeat thread, and both threads end at their
 * next check.
 */
public final class ChatClient implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(25);
    /** Default heartbeat interval: one small event per idle client every 30 s. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(30);
    /** Default presence window: three heartbeats. */
    public static final Duration WINDOW = Duration.ofSeconds(90);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final PlatformClient client;
    private final ViewContainer views;
    private final String viewKey;
    private final String name;
    private final PrintStream out;
    private final Thread receiving;
    private final Thread heartbeat;
    private final long heartbeatNanos;
    private final long windowMillis;
    private volatile long lastSent;    // System.nanoTime() of the last message sent
    private final Object lock = new Object();
    private ReadPosition state;        // guarded by lock: what is printed and saved
    /**
     * Guarded by lock: what is read, published before its lines are printed, so that a
     * {@code /who} after a printed leave never lists the one who left. Never changed once published.
     */
    private ReadPosition read;
    private volatile boolean closing;
    private volatile boolean heartbeatStopped;
    private volatile Throwable failure;
    /** The receiving thread's commit wait in flight, cancelled by {@link #close}. */
    private volatile CompletableFuture<CommitPointer> pendingWait;

    /** A client with the default presence settings ({@link #HEARTBEAT}, {@link #WINDOW}). */
    public ChatClient(PlatformClient client, ViewContainer views, String name, PrintStream out) {
        this(client, views, name, out, HEARTBEAT, WINDOW);
    }

    /**
     * @param heartbeat how long the client may send nothing before it appends a heartbeat
     * @param window    how long after their last message others still count as present (more than
     *                  {@code heartbeat}: a few heartbeats, so that a slow one does not drop anyone)
     */
    public ChatClient(PlatformClient client, ViewContainer views, String name, PrintStream out, Duration heartbeat,
            Duration window) {
        if (heartbeat.isNegative() || heartbeat.isZero() || window.compareTo(heartbeat) <= 0) {
            throw new IllegalArgumentException("the heartbeat interval is positive and shorter than the presence window");
        }
        this.heartbeatNanos = heartbeat.toNanos();
        this.windowMillis = window.toMillis();
        this.client = client;
        this.views = views;
        this.viewKey = "position/" + client.store().value();
        this.name = name;
        this.out = out;
        this.receiving = new Thread(this::receive, "chat-receive");
        this.receiving.setDaemon(true);
        this.heartbeat = new Thread(this::beat, "chat-heartbeat");
        this.heartbeat.setDaemon(true);
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
            read = saved;
        }
        send(new ChatMessage(ChatMessage.JOIN, name, null));
        receiving.start();
        heartbeat.start();
    }

    /** Appends a heartbeat whenever nothing was sent for the heartbeat interval. */
    private void beat() {
        try {
            while (!closing && !heartbeatStopped) {
                long idle = System.nanoTime() - lastSent;
                if (idle >= heartbeatNanos) {
                    send(new ChatMessage(ChatMessage.HERE, name, null));
                    continue;
                }
                long waitNanos = heartbeatNanos - idle;
                synchronized (heartbeat) {
                    if (!closing && !heartbeatStopped) {
                        heartbeat.wait(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
                    }
                }
            }
        } catch (InterruptedException e) {
            // stopped from outside: end
        } catch (RuntimeException e) {
            if (!closing && !heartbeatStopped) {
                out.println("* heartbeat stopped: " + e.getMessage());
            }
        }
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
                    into.apply(message, batch.timestamp(i));
                }
            }
            into.position = batch.next();
        }
    }

    /** Appends a typed line; returns once it is durable. */
    public AppendResult say(String text) {
        return send(new ChatMessage(ChatMessage.LINE, name, text));
    }

    /** Stops the heartbeats and announces leaving; returns once it is durable. */
    public AppendResult leave() throws InterruptedException {
        synchronized (heartbeat) {
            heartbeatStopped = true;
            heartbeat.notifyAll(); // a heartbeat being sent completes first
        }
        heartbeat.join(); // no heartbeat may follow the leave and make the client present again
        return send(new ChatMessage(ChatMessage.LEAVE, name, null));
    }

    private AppendResult send(ChatMessage message) {
        lastSent = System.nanoTime();
        return client.append(ChatMessage.STREAM, message.toJson());
    }

    /** Who is present (joined, not left, seen within the window), as the messages read so far say. */
    public String who() {
        synchronized (lock) {
            List<String> names = read.present(windowMillis);
            return names.isEmpty() ? "nobody" : String.join(", ", names);
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
                    if (!awaitCommit(reader, from)) {
                        break; // closing
                    }
                    continue;
                }
                if (closing) {
                    break; // what is printed is also saved: a batch is not printed again after a restart
                }
                ReadPosition next = copy();
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < batch.size(); i++) {
                    ChatMessage message = message(batch, i);
                    if (message != null) {
                        next.apply(message, batch.timestamp(i));
                        if (!message.name().equals(name) && !message.type().equals(ChatMessage.HERE)) {
                            lines.add(format(message, batch.timestamp(i)));
                        }
                    }
                }
                next.position = batch.next();
                synchronized (lock) {
                    read = next;
                }
                for (String line : lines) {
                    out.println(line);
                }
                out.flush();
                views.write(viewKey, next);
                synchronized (lock) {
                    state = next;
                    lock.notifyAll();
                }
            }
        } catch (Throwable e) {
            if (closing) {
                return; // a failure while closing (an interrupt from outside, say) is no failure of the chat
            }
            failure = e;
            out.println("* receiving stopped: " + e.getMessage());
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    /**
     * Waits until a commit passes {@code from} or {@link #WAIT} passes; false if {@link #close}
     * cancelled the wait.
     */
    private boolean awaitCommit(StoreReader reader, long from) throws InterruptedException, ExecutionException {
        CompletableFuture<CommitPointer> wait = reader.commitAfter(from, WAIT);
        pendingWait = wait;
        try {
            if (closing) {
                wait.cancel(false); // close() may have looked before this wait was published
            }
            wait.get();
            return true;
        } catch (CancellationException e) {
            if (closing) {
                return false;
            }
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        } finally {
            pendingWait = null;
        }
    }

    private ReadPosition copy() {
        synchronized (lock) {
            return state.copy();
        }
    }

    private static ChatMessage message(EventBatch batch, int index) {
        return batch.streamId(index).equals(ChatMessage.STREAM) ? ChatMessage.fromJson(batch.data(index)) : null;
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

    /**
     * Stops receiving and the heartbeats: cancels the commit wait in flight and waits for both
     * threads to end (a read under way completes first), up to 30 s each.
     */
    @Override
    public void close() {
        closing = true;
        CompletableFuture<CommitPointer> wait = pendingWait;
        if (wait != null) {
            wait.cancel(false);
        }
        synchronized (heartbeat) {
            heartbeat.notifyAll();
        }
        try {
            receiving.join(30_000);
            heartbeat.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
