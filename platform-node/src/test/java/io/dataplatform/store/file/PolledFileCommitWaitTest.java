package io.dataplatform.store.file;

/**
 * {@link WatchedFileCommitWaitTest} without file-system notification: the watcher's polling
 * fallback (platforms without a native watch service, file systems that do not notify).
 */
class PolledFileCommitWaitTest extends WatchedFileCommitWaitTest {

    @Override
    CommitPointerWatcher watcher() {
        return new CommitPointerWatcher(false, CommitPointerWatcher.SAFETY_NET_POLL, CommitPointerWatcher.FALLBACK_POLL);
    }

    @Override
    boolean expectsNotification() {
        return false;
    }
}
