package io.dataplatform.samples.continuous.projection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The {@code size} largest counts seen, kept exact as counts grow: counts only ever increase, so
 * an entry that is not in the list can only enter it by passing the smallest one. Entries are
 * sorted by count, largest first (ties by key). A mutable Jackson bean, stored inside views.
 */
public final class TopList {
    /** One entry: a key (tag, user id), its label (tag, user name) and its count. */
    public static final class Entry {
        public String key;
        public String label;
        public long count;

        public Entry() {
        }

        Entry(String key, String label, long count) {
            this.key = key;
            this.label = label;
            this.count = count;
        }
    }

    private static final Comparator<Entry> ORDER = Comparator.<Entry>comparingLong(e -> -e.count)
            .thenComparing(e -> e.key);

    public int size = 100;
    public List<Entry> entries = new ArrayList<>();

    /** Records that {@code key} now counts {@code count} (never less than before). */
    public void offer(String key, String label, long count) {
        for (Entry entry : entries) {
            if (entry.key.equals(key)) {
                entry.count = count;
                if (label != null) {
                    entry.label = label;
                }
                entries.sort(ORDER);
                return;
            }
        }
        if (entries.size() < size) {
            entries.add(new Entry(key, label, count));
            entries.sort(ORDER);
            return;
        }
        Entry smallest = entries.get(entries.size() - 1);
        Entry candidate = new Entry(key, label, count);
        if (ORDER.compare(candidate, smallest) < 0) {
            entries.set(entries.size() - 1, candidate);
            entries.sort(ORDER);
        }
    }

    /** Changes the label of {@code key} if it is listed. */
    public void relabel(String key, String label) {
        for (Entry entry : entries) {
            if (entry.key.equals(key)) {
                entry.label = Objects.requireNonNullElse(label, entry.label);
            }
        }
    }
}
