package io.dataplatform.projections;

import io.dataplatform.views.ViewChange;
import io.dataplatform.views.ViewContainer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The views of one projection's container as one batch sees them. Each view is loaded (read and
 * deserialized) at most once per batch; every later call for its key returns the same object, so
 * that the events of a batch update one object in memory. The session sees its own changes: a view
 * written or deleted earlier in the batch reads as written or deleted. It knows what changed: the
 * views given to {@link #edit}, {@link #write} and {@link #delete}, which the runner commits with
 * the batch's checkpoint, in one atomic commit, after {@link Projection#apply} returns.
 *
 * <p>Views are JSON documents read and written with the view store's Jackson mapper. Objects
 * returned by {@link #read} may be changed, but a change is committed only if the key is marked
 * changed ({@link #edit} marks it when it returns the object; {@link #changed} marks it later).
 *
 * <p>Lives for one batch; not thread-safe.
 */
public final class ViewSession {

    /** A view as this batch knows it: the loaded or written object (null: absent) and whether it changed. */
    private static final class Slot {
        Object value;
        boolean changed;

        Slot(Object value) {
            this.value = value;
        }
    }

    private final ViewContainer container;
    private final Map<String, Slot> slots = new HashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();

    ViewSession(ViewContainer container) {
        this.container = container;
    }

    /** The container's name. */
    public String container() {
        return container.name();
    }

    /** The view under {@code key} as {@code type}, or null if there is none. */
    public <T> T read(String key, Class<T> type) {
        return cast(key, slot(key, type).value, type);
    }

    /** The view under {@code key}, or a new object from {@code factory} if there is none (not marked changed). */
    public <T> T readOrNew(String key, Class<T> type, Supplier<? extends T> factory) {
        Slot slot = slot(key, type);
        if (slot.value == null) {
            slot.value = Objects.requireNonNull(factory.get(), "the factory returned null");
        }
        return cast(key, slot.value, type);
    }

    /**
     * The view under {@code key} (or a new one from {@code factory}), marked changed: modify the
     * returned object and the runner commits it after the batch. Every call for the same key in
     * this batch returns the same object.
     */
    public <T> T edit(String key, Class<T> type, Supplier<? extends T> factory) {
        T value = readOrNew(key, type, factory);
        changed(key);
        return value;
    }

    /** Replaces the view under {@code key} by {@code view} (any object Jackson can write). */
    public void write(String key, Object view) {
        Objects.requireNonNull(view, "view (use delete to remove a view)");
        Slot slot = slots.computeIfAbsent(key, k -> new Slot(null));
        slot.value = view;
        mark(key, slot);
    }

    /** Deletes the view under {@code key}; returns whether there was one (as this batch sees it). */
    public boolean delete(String key) {
        Slot slot = slots.get(key);
        boolean existed = slot != null ? slot.value != null : container.exists(key);
        if (slot == null) {
            slot = new Slot(null);
            slots.put(key, slot);
        }
        slot.value = null;
        mark(key, slot);
        return existed;
    }

    /** Whether a view exists under {@code key}, as this batch sees it. */
    public boolean exists(String key) {
        Slot slot = slots.get(key);
        return slot != null ? slot.value != null : container.exists(key);
    }

    /** Marks a view read earlier in this batch as changed, so that it is committed. */
    public void changed(String key) {
        Slot slot = slots.get(key);
        if (slot == null) {
            throw new IllegalStateException("view '" + key + "' was not read in this batch: read or write it first");
        }
        mark(key, slot);
    }

    /** The keys changed in this batch, in the order they were first changed. */
    public Set<String> changedKeys() {
        return Collections.unmodifiableSet(changed);
    }

    /** The changes to commit: every changed view as a whole document, or its deletion. */
    List<ViewChange> changes() {
        List<ViewChange> changes = new ArrayList<>(changed.size());
        for (String key : changed) {
            Object value = slots.get(key).value;
            changes.add(value == null ? ViewChange.delete(key) : container.change(key, value));
        }
        return changes;
    }

    private void mark(String key, Slot slot) {
        if (!slot.changed) {
            slot.changed = true;
            changed.add(key);
        }
    }

    private Slot slot(String key, Class<?> type) {
        Slot slot = slots.get(key);
        if (slot == null) {
            slot = new Slot(container.read(key, type));
            slots.put(key, slot);
        }
        return slot;
    }

    private static <T> T cast(String key, Object value, Class<T> type) {
        if (value != null && !type.isInstance(value)) {
            throw new IllegalStateException("view '" + key + "' is a " + value.getClass().getName()
                    + " in this batch, not a " + type.getName());
        }
        return type.cast(value);
    }
}
