package io.dataplatform.store.log;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Bounds the stores whose logs hold open handles ({@link StoreLog#holdsHandles()}: for files, two
 * each, the last chunk and the commit pointer). When a writer opens a store beyond the bound, the
 * least recently used idle stores release their handles; they reopen them on their next write. A store that is busy at that moment
 * is skipped, so the bound may be exceeded by at most the number of writer threads.
 * Thread-safe.
 */
final class HandleBudget {

    private final int maxOpenStores;
    private final LinkedHashMap<LogStore, Boolean> open = new LinkedHashMap<>(64, 0.75f, true);

    HandleBudget(int maxOpenStores) {
        this.maxOpenStores = maxOpenStores;
    }

    /** Called by a writer, under its store's lock, after using its files. */
    synchronized void opened(LogStore store) {
        open.put(store, Boolean.TRUE);
        if (open.size() <= maxOpenStores) {
            return;
        }
        List<LogStore> eldest = new ArrayList<>();
        Iterator<LogStore> stores = open.keySet().iterator();
        int excess = open.size() - maxOpenStores;
        while (stores.hasNext() && eldest.size() < excess) {
            LogStore candidate = stores.next();
            if (candidate != store) {
                eldest.add(candidate);
            }
        }
        for (LogStore candidate : eldest) {
            // tryLock never blocks, so two writers evicting each other cannot deadlock
            if (candidate.tryReleaseHandles()) {
                open.remove(candidate);
            }
        }
    }

    synchronized void closed(LogStore store) {
        open.remove(store);
    }

    synchronized int openStores() {
        return open.size();
    }
}
