package io.dataplatform.store.file;

import io.dataplatform.store.CommitPointer;
import io.dataplatform.store.CommitWaitContract;
import io.dataplatform.store.StoreId;
import io.dataplatform.store.StoreReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commit waits of direct file readers while another process writes: an engine in a child JVM
 * appends on request, this JVM reads the store's files and waits through a
 * {@link CommitPointerWatcher} using the platform's file-system notification (inotify on Linux).
 */
class WatchedFileCommitWaitTest extends CommitWaitContract {

    @TempDir
    static Path root;
    static ChildProcess writer;
    CommitPointerWatcher watcher = watcher();

    /**
     * The watcher under test: notified by the file system where it can be, and then without its
     * safety-net poll (once an hour), so that only notifications wake the waiters here.
     */
    CommitPointerWatcher watcher() {
        return new CommitPointerWatcher(true, java.time.Duration.ofHours(1), CommitPointerWatcher.FALLBACK_POLL);
    }

    @BeforeAll
    static void startWriter() throws IOException {
        writer = ChildProcess.start(StoreChild.class, root, "serve", root.toString());
    }

    @AfterAll
    static void stopWriter() throws Exception {
        writer.close();
    }

    @Override
    protected synchronized long append(StoreId store) throws IOException {
        writer.writeLine("append " + store.value());
        String ack = writer.readLine();
        assertThat(ack).as("the writer's answer").startsWith("ack ");
        return Long.parseLong(ack.substring(4));
    }

    @Override
    protected StoreReader open(StoreId store) {
        return FileStoreReader.following(store, root.resolve(store.value()), null, watcher);
    }

    @Test
    void usesFileSystemNotificationOnLinux() {
        if (System.getProperty("os.name").toLowerCase().contains("linux")) {
            assertThat(watcher.notified()).as("inotify through the JDK's WatchService").isEqualTo(expectsNotification());
        }
    }

    boolean expectsNotification() {
        return true;
    }

    @Test
    void everyOneOfManyCommitsWakesTheWaiterInTheOtherProcess() throws Exception {
        StoreId store = newStore();
        try (StoreReader reader = open(store)) {
            long position = reader.commitPointer().position();
            for (int i = 0; i < 200; i++) {
                CompletableFuture<CommitPointer> wait = reader.commitAfter(position, FOREVER);
                long next = append(store);
                CommitPointer woken = get(wait);
                assertThat(woken.position()).as("commit %d", i).isGreaterThan(position).isLessThanOrEqualTo(next);
                position = next;
            }
        }
    }

    @Test
    void aClosedReaderLeavesNoWatchBehind() throws Exception {
        StoreId store = newStore();
        StoreReader first = open(store);
        StoreReader second = open(store);
        first.commitAfter(0, FOREVER).get();
        second.commitAfter(first.commitPointer().position(), java.time.Duration.ofMillis(1)).get();
        assertThat(watcher.watchedDirectories()).isEqualTo(1);
        first.close();
        assertThat(watcher.watchedDirectories()).as("the second reader still waits on it").isEqualTo(1);
        second.close();
        assertThat(watcher.watchedDirectories()).isZero();
    }
}
